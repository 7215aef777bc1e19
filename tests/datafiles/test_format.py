"""The files' format: strict YAML in, canonical YAML out, schemas generated from the models."""

import pytest
import yaml
from django.core.management import call_command

from datafiles.yamlio import parse, render


def test_committed_schemas_are_what_the_models_give():
    call_command("kb_schema", "--check")


def test_only_booleans_nulls_integers_and_strings_resolve():
    assert parse("a: NO\nb: on\nc: '020'\nd: 020\ne: 2003-09-22\nf: true\ng: ~\nh: 12\ni: 1.5\nj: yes\n") == {
        "a": "NO",
        "b": "on",
        "c": "020",
        "d": "020",
        "e": "2003-09-22",
        "f": True,
        "g": None,
        "h": 12,
        "i": "1.5",
        "j": "yes",
    }


def test_a_key_given_twice_is_an_error():
    with pytest.raises(yaml.YAMLError, match="found the key 'title_en' twice"):
        parse("title_en: a\ntitle_en: b\n")


def test_canonical_writing_quotes_what_other_readers_would_misread_and_keeps_text_literal():
    data = {"code": "NO", "numeric": "020", "date": "2003-09-22", "text": "line one\nline two\n", "list": [1]}
    text = render(data)
    assert text == ("code: 'NO'\nnumeric: '020'\ndate: '2003-09-22'\ntext: |\n  line one\n  line two\nlist:\n  - 1\n")
    assert parse(text) == data == yaml.safe_load(text)


def test_the_quick_schema_check_agrees_with_jsonschema():
    import copy

    from django.conf import settings

    from datafiles import schema

    family = parse((settings.BASE_DIR / "fixtures" / "instruments" / "eu-dir-2003-86.yaml").read_text())
    treaty = parse((settings.BASE_DIR / "fixtures" / "instruments" / "eaeu-treaty-2014.yaml").read_text())
    mutations = [
        lambda d: d.update(titel_en="x"),
        lambda d: d.update(eli_path=5),
        lambda d: d["date_adopted"].update(value="22.09.2003"),
        lambda d: d["date_adopted"].update(precision="week"),
        lambda d: d.pop("updated_at"),
        lambda d: d["subjects"].update(value=["entry_visa", "entry_visa"]),
        lambda d: d["provisions"][0].update(position=-1),
        lambda d: d["provisions"][0]["heading_en"]["sources"][0].update(confidence="sure"),
        lambda d: d["official_texts"][0].update(url={"value": "x" * 601}),
        lambda d: d.update(sources=[]),
        lambda d: d["relationships"].append({"object": "eu-dir-2003-86"}),
    ]
    assert schema.quick_check("instruments")(family) and not schema.validator("instruments").is_valid(
        {**family, "kind": "decree"}
    )
    for document in (family, treaty):
        assert schema.quick_check("instruments")(document) and schema.validator("instruments").is_valid(document)
    for mutate in mutations:
        document = copy.deepcopy(treaty)
        document.setdefault("relationships", [])
        mutate(document)
        assert not schema.quick_check("instruments")(document)
        assert not schema.validator("instruments").is_valid(document)


def test_provenance_rows_of_one_field_sort_by_their_number_not_as_text():
    from datafiles.records import numbered

    base = "instrument-eu-dir-2003-86-date_adopted-eur-lex"
    assert [numbered(f"{base}-{n}", base) for n in ("2", "10")] == [2, 10]
    assert numbered(f"{base}-x", base) == 0
    assert numbered(f"{base}-", base) == 0
    assert numbered("instrument-other-date_adopted-eur-lex-2", base) == 0
