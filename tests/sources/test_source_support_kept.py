"""What each source supports is counted and ranked once per data version and day (core/counts.py
`kept`): at 100,000 instruments both read every provenance row (0.7-1 s). Apart from
test_source_page_cap.py, whose synthetic records are written in a transaction of the module that
would hold back the data version's change until its end."""

import pytest
from django.contrib.contenttypes.models import ContentType

from instruments.models import Instrument
from sources.models import Provenance
from tests.sources.test_source_page_cap import entry_of, instrument_links, supported

pytestmark = pytest.mark.usefixtures("kb")


def test_what_each_source_supports_is_kept_until_a_write(client, kept_counts, django_assert_num_queries):
    """A second request reads the sources and the instruments shown only; a new provenance row
    shows at once."""
    before = instrument_links(entry_of(client, "article"))
    assert before == supported("article")
    with django_assert_num_queries(2):  # the sources, the instruments shown
        assert instrument_links(entry_of(client, "article")) == before
    added = next(pk for pk in supported("kb-research-notes") if pk not in before)
    Provenance.objects.create(
        content_type=ContentType.objects.get_for_model(Instrument),
        object_id=added,
        field="title_en",
        source_id="article",
        confidence="believed",
    )
    assert instrument_links(entry_of(client, "article")) == supported("article")
    assert added in supported("article")
