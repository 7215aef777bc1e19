"""The files' format: strict YAML in, canonical YAML out, schemas generated from the models."""

import pytest
import yaml
from django.core.management import call_command

from datafiles.yamlio import parse, render


def test_committed_schemas_are_what_the_models_give():
    call_command("kb_schema", "--check")


def test_only_booleans_nulls_integers_and_strings_resolve():
    assert parse("a: NO\nb: on\nc: '020'\nd: 020\ne: 2003-09-22\nf: true\ng: ~\nh: 12\ni: 1.5\nj: yes\n") == {
        "a": "NO", "b": "on", "c": "020", "d": "020", "e": "2003-09-22", "f": True, "g": None, "h": 12,
        "i": "1.5", "j": "yes"}


def test_a_key_given_twice_is_an_error():
    with pytest.raises(yaml.YAMLError, match="found the key 'title_en' twice"):
        parse("title_en: a\ntitle_en: b\n")


def test_canonical_writing_quotes_what_other_readers_would_misread_and_keeps_text_literal():
    data = {"code": "NO", "numeric": "020", "date": "2003-09-22", "text": "line one\nline two\n", "list": [1]}
    text = render(data)
    assert text == ("code: 'NO'\nnumeric: '020'\ndate: '2003-09-22'\ntext: |\n  line one\n  line two\n"
                    "list:\n  - 1\n")
    assert parse(text) == data == yaml.safe_load(text)
