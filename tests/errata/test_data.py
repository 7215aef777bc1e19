"""The real data's record of the article's errors."""

import pytest

from errata.models import Discrepancy

pytestmark = pytest.mark.django_db


def test_all_34_discrepancies_are_recorded_with_their_quotes_and_evidence():
    assert Discrepancy.objects.count() == 34
    substantive = set(Discrepancy.objects.filter(substantive=True).values_list("id", flat=True))
    assert {
        "961-date",
        "directive-suffix-86",
        "2009-50-repealed",
        "2011-98-repealed",
        "539-repealed",
        "539-council-of-europe",
        "readmission-count",
        "adilet-code",
    } <= substantive
    assert "ref1-typo" not in substantive
    suffix = Discrepancy.objects.get(id="directive-suffix-86")
    assert "directive 2003/86/EU Council" in suffix.article_quotes and suffix.category == "number"
    assert suffix.provenance.filter(field="correct_fact", confidence="verified", source__kind="official").exists()
    count = Discrepancy.objects.get(id="readmission-count")
    assert count.category == "count"
    assert list(count.agreements.values_list("id", flat=True)) == ["kz-benelux-readmission"]
