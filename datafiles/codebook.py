"""The codebook — every field and vocabulary — built from the models themselves.

`python manage.py codebook` writes docs/codebook.md; a test fails when the file and
the models disagree, so the codebook cannot drift from the code. export_kb ships the
same structure as JSON.
"""

from django.apps import apps
from django.conf import settings

from datafiles.yamlio import parse

MODELS = [
    "instruments.Instrument",
    "instruments.OfficialText",
    "instruments.Provision",
    "instruments.Relationship",
    "subjects.Subject",
    "agreements.Agreement",
    "agreements.Party",
    "agreements.ArticleStateMention",
    "countries.Country",
    "countries.Organisation",
    "countries.Membership",
    "sources.Source",
    "sources.Provenance",
    "errata.Discrepancy",
]

INTRO = """# Codebook

Every field of every table, and every controlled vocabulary. Generated from the models by
`python manage.py codebook` (a test keeps this file in step with the code); the subject vocabulary comes
from `fixtures/subjects.yaml`. See also [data-model.md](data-model.md) and [provenance.md](provenance.md).

Conventions:
- Dates are ISO 8601 (`YYYY-MM-DD`). Each date has a `…_precision` companion: `day`, `month`, `year` or
  `unknown`. A date known to the month or year is stored as the first day of that period; an unknown date
  is empty with precision `unknown`.
- `…_kind` companions of titles and texts say whether the text is `official`, an `unofficial`
  translation, or a `paraphrase`.
- Computed, never stored: `status` (in force / not yet in force / no longer in force / unknown, see
  data-model.md), an agreement's partners and whether it is missing from the article's list.
"""


def field_type(field):
    if field.is_relation:
        target = field.related_model._meta.label if field.related_model else "any record"
        if field.many_to_many:
            return f"many-to-many → {target}"
        return f"→ {target}"
    return field.get_internal_type().replace("Field", "").lower() or "text"


def describe_model(label):
    model = apps.get_model(label)
    rows = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue
        if field.name == "history" or not hasattr(field, "verbose_name"):
            continue
        choices = [str(value) for value, _ in field.choices] if getattr(field, "choices", None) else []
        rows.append(
            {
                "name": field.name,
                "type": field_type(field),
                "required": not (getattr(field, "blank", True) or getattr(field, "null", False)),
                "description": str(field.verbose_name) + (f". {field.help_text}" if field.help_text else ""),
                "values": choices,
            }
        )
    return {"table": label, "description": (model.__doc__ or "").strip().splitlines()[0], "fields": rows}


def subject_vocabulary():
    path = settings.BASE_DIR / "fixtures" / "subjects.yaml"
    if not path.exists():
        return []

    def value(term, key):
        given = term.get(key, "")
        return given.get("value", "") if isinstance(given, dict) else given

    terms = parse(path.read_text(encoding="utf-8"))
    return sorted(
        (
            {
                "code": term["code"],
                **{k: value(term, k) for k in ("scheme", "label_en", "label_ru", "label_kk", "demig_term")},
            }
            for term in terms
        ),
        key=lambda term: (term["scheme"], term["code"]),
    )


def codebook():
    return {"tables": [describe_model(label) for label in MODELS], "subjects": subject_vocabulary()}


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(book=None):
    book = book or codebook()
    lines = [INTRO]
    for table in book["tables"]:
        lines += [
            f"## {table['table']}",
            "",
            table["description"],
            "",
            "| field | type | required | description | values |",
            "|---|---|---|---|---|",
        ]
        for field in table["fields"]:
            lines.append(
                f"| `{field['name']}` | {cell(field['type'])} | {'yes' if field['required'] else ''} | "
                f"{cell(field['description'])} | {cell(', '.join(f'`{v}`' for v in field['values']))} |"
            )
        lines.append("")
    lines += [
        "## Subject vocabulary",
        "",
        "Policy areas, target groups and policy tools, grounded in DEMIG POLICY's code lists "
        "(`demig_term` is the DEMIG term a code rolls up to). Russian and Kazakh labels are our "
        "unofficial translations.",
        "",
        "| code | scheme | English | Russian | Kazakh | DEMIG term |",
        "|---|---|---|---|---|---|",
    ]
    for term in book["subjects"]:
        lines.append(
            f"| `{term['code']}` | {term['scheme']} | {cell(term['label_en'])} | {cell(term['label_ru'])} | "
            f"{cell(term['label_kk'])} | {cell(term['demig_term'])} |"
        )
    return "\n".join(lines) + "\n"
