"""load_kb: every problem of every file reported as `path: field: message`, and then nothing saved;
model rules checked, a reload changes nothing, --overwrite lets the files win."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from countries.models import Country
from datafiles.registry import loaded_record_model, models_in_load_order
from instruments.models import Instrument
from sources.models import Provenance, Source
from tests.recorded import records

from .conftest import edit

pytestmark = pytest.mark.django_db


def snapshot():
    """Row and history counts of every model the files hold, and one record field by field."""
    counts = {model._meta.label: model._base_manager.count() for model in models_in_load_order()}
    history = {model._meta.label: model.history.count() for model in models_in_load_order()}
    record = model_to_dict(Instrument.objects.get(pk="eu-dir-2003-86"))
    return counts, history, loaded_record_model().objects.count(), record


def load_error(directory):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("load_kb", data_dir=str(directory), verbosity=0)
    assert snapshot() == before
    return str(error.value).splitlines()


FAMILY = "instruments/eu-dir-2003-86.yaml"


def set_value(name, value):
    return lambda data: data[name].update(value=value)


def unknown_target(data):
    data["relationships"] = [{"type": "amends", "object": "eu-dir-1999-1"}]


def unknown_key(data):
    data["titel_en"] = "Council Directive"


def not_found_with_value(data):
    data["title_ru"].update(value="Директива о праве на воссоединение семьи", kind="unofficial")


def no_source(data):
    del data["sources"]
    data["number"] = "2003/86/EC"  # its own sources dropped too


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            set_value("date_adopted", "2003-02-30"),
            f"{FAMILY}: date_adopted.value: “2003-02-30” value has the correct format (YYYY-MM-DD) "
            "but it is an invalid date.",
        ),
        (
            set_value("date_adopted", "22.09.2003"),
            f"{FAMILY}: date_adopted.value: '22.09.2003' is not a date, YYYY-MM-DD",
        ),
        (
            lambda data: data["celex"]["sources"][0].update(source="nowhere"),
            f"{FAMILY}: celex.sources[0].source: unknown source 'nowhere' (not in sources.yaml)",
        ),
        (no_source, f"{FAMILY}: number: a fact without a source: give it `sources`, or give the record `sources`"),
        (
            not_found_with_value,
            f"{FAMILY}: title_ru.sources[0].confidence: 'not_found' but the field holds "
            "'Директива о праве на воссоединение семьи'",
        ),
        (unknown_target, f"{FAMILY}: relationships[0].object: no instrument 'eu-dir-1999-1' in the data files"),
        (unknown_key, f"{FAMILY}: titel_en: unknown key"),
        (
            set_value("kind", "decree"),
            # every kind is named (the kind of a presidential decree is `presidential_decree`)
            f"{FAMILY}: kind.value: 'decree' is not one of ['treaty', 'agreement', 'convention', 'protocol', "
            "'directive', 'regulation', 'decision', 'framework_decision', 'law', 'code', 'presidential_decree', "
            "'government_resolution', 'ministerial_order', 'policy_concept', 'policy_address', "
            "'legislative_proposal', 'draft']",
        ),
    ],
    ids=[
        "impossible-date",
        "date-shape",
        "unknown-source",
        "fact-without-source",
        "not-found-with-value",
        "unknown-relationship-target",
        "unknown-key",
        "wrong-enum",
    ],
)
def test_load_kb_rejects_a_bad_file_and_saves_nothing(data_dir, change, expected):
    edit(data_dir, FAMILY, change)
    lines = load_error(data_dir)
    assert lines[0].startswith("Invalid data, nothing was saved (")
    assert expected in lines


def test_every_problem_of_every_file_is_reported_at_once(data_dir):
    edit(data_dir, FAMILY, set_value("date_adopted", "2003-02-30"))
    edit(data_dir, "agreements/kz-ch-readmission.yaml", lambda data: data["parties"].append({"country": "XX"}))
    edit(data_dir, "countries.yaml", lambda countries: countries[0].update(alpha3="ANDORRA"))
    (data_dir / "discrepancies" / "961-date.yaml").write_text("id: 961-date\ncategory: [\n", encoding="utf-8")
    lines = load_error(data_dir)
    assert lines[0] == f"Invalid data, nothing was saved ({len(lines) - 1}):"
    assert "agreements/kz-ch-readmission.yaml: parties[2].country: no country 'XX' in the data files" in lines
    assert "countries.yaml: [0].alpha3: 'ANDORRA' is too long" in lines
    assert (
        f"{FAMILY}: date_adopted.value: “2003-02-30” value has the correct format (YYYY-MM-DD) but it is an "
        "invalid date." in lines
    )
    assert any(line.startswith("discrepancies/961-date.yaml: (file): while parsing") for line in lines)


def test_a_second_load_changes_nothing_and_writes_no_history():
    before = snapshot()
    out = io.StringIO()
    call_command("load_kb", stdout=out)
    assert "0 records loaded, 0 deleted, 0 rows changed." in out.getvalue()
    assert snapshot() == before


def test_a_new_file_is_loaded_with_its_children_provenance_and_history(data_dir):
    new = data_dir / "discrepancies" / "test-new.yaml"
    new.write_text(
        "id: test-new\ncategory: typo\nsubstantive: false\nsummary: A test erratum\ndescription: For a test.\n"
        "article_quotes:\n  value:\n    - A.J. Narimbaeva\n  sources:\n    - source: article\n"
        "      confidence: article\n      locator: Header\n      quote: A.J. Narimbaeva\n"
        "confidence: verified\ninstruments:\n  - eu-dir-2003-86\n",
        encoding="utf-8",
    )
    call_command("load_kb", data_dir=str(data_dir), verbosity=0)
    from errata.models import Discrepancy
    from sources.models import Provenance

    erratum = Discrepancy.objects.get(pk="test-new")
    assert (erratum.substantive, erratum.article_quotes) == (False, ["A.J. Narimbaeva"])
    assert list(erratum.instruments.values_list("pk", flat=True)) == ["eu-dir-2003-86"]
    assert Provenance.objects.get(object_id="test-new").pk == "discrepancy-test-new-article_quotes-article"
    assert Discrepancy.history.get(id="test-new").history_change_reason == "Loaded from data files by load_kb"
    assert loaded_record_model().objects.get(path="discrepancies/test-new.yaml").record == "test-new"


# --------------------------------------------------------------------------- model rules, reloads, --overwrite


def dump():
    """The instruments, agreements and content types as dumpdata writes them."""
    out = io.StringIO()
    call_command("dumpdata", "instruments", "agreements", "contenttypes", format="json", indent=None, stdout=out)
    return out.getvalue()


def test_load_kb_twice_changes_nothing():
    before = dump()
    call_command("load_kb", verbosity=0)
    assert dump() == before


def test_load_kb_rejects_a_record_breaking_a_model_rule_and_saves_nothing(data_dir):
    directory = data_dir

    def untyped_title(data):
        # A title without saying whether it is official: clean() rejects it, no database constraint does.
        del data["title_en"]["kind"]
        data["summary_en"]["value"] = "changed"

    def renamed(countries):
        next(c for c in countries if c["code"] == "KZ")["name_en"] = "Changed"

    edit(directory, "instruments/eu-dir-2003-86.yaml", untyped_title)
    edit(directory, "countries.yaml", renamed)
    before = dump()
    with pytest.raises(CommandError) as error:
        call_command("load_kb", data_dir=str(directory), verbosity=0)
    assert "instruments/eu-dir-2003-86.yaml: title_en.kind: Say whether this title is official" in str(error.value)
    assert dump() == before
    assert Country.objects.get(code="KZ").name_en == "Kazakhstan"


def test_load_kb_rejects_entry_into_force_before_adoption_and_saves_nothing(data_dir):
    directory = data_dir
    edit(directory, "instruments/eu-dir-2009-50.yaml", lambda data: data["entry_into_force"].update(value="2001-01-01"))
    before = dump()
    with pytest.raises(CommandError) as error:
        call_command("load_kb", data_dir=str(directory), verbosity=0)
    assert (
        "instruments/eu-dir-2009-50.yaml: entry_into_force.value: Entry into force cannot be before the date "
        "of adoption or signature."
    ) in str(error.value)
    assert dump() == before


def test_load_kb_overwrite_drops_provenance_the_file_does_not_have_and_keeps_other_records():
    content_type = ContentType.objects.get_for_model(Instrument)
    source = Source.objects.get(id="kb-research-notes")
    stale = Provenance.objects.create(
        id="stale-row",
        content_type=content_type,
        object_id="eu-dir-2003-86",
        field="title_en",
        source=source,
        confidence="believed",
    )
    Instrument.objects.create(
        id="not-in-the-files", eli_path="/test/x/1", kind="law", level="national", jurisdiction="kz", is_synthetic=True
    )
    foreign = Provenance.objects.create(
        id="row-of-another-record",
        content_type=content_type,
        object_id="not-in-the-files",
        field="*",
        source=source,
        confidence="believed",
    )
    out = io.StringIO()
    call_command("load_kb", stdout=out)
    assert Provenance.objects.filter(id=stale.id).exists()  # an edit made in the database is kept…
    assert "kept the database's edit of instruments/eu-dir-2003-86.yaml" in out.getvalue()
    call_command("load_kb", overwrite=True, verbosity=0)
    assert not Provenance.objects.filter(id=stale.id).exists()  # …until the files are to win
    assert Provenance.objects.filter(id=foreign.id).exists()


def test_load_kb_refuses_a_directory_without_data_files(tmp_path):
    with pytest.raises(CommandError, match="no data files here"):
        call_command("load_kb", data_dir=str(tmp_path), verbosity=0)
    assert Instrument.objects.real().count() == len(records("instruments.Instrument"))  # all still there
