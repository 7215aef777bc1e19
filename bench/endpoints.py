"""The measured endpoints: our URL and, where Datasette can answer the same question, its URL."""

import base64
import datetime
import urllib.parse

from bench.config import COUNTRY, IN_FORCE_ON, PAGE_SIZE, SEARCH_WORD


def started(field, on):
    """Datasette's SQL for a date that has certainly come by `on`, whatever its precision (the
    rule of core.lifecycle.certainly_started_q: a month or a year counts from its end)."""
    from calendar import monthrange

    def minus_months(day, months):
        month0 = day.month - 1 - months
        year, month = day.year + month0 // 12, month0 % 12 + 1
        return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))

    after = on + datetime.timedelta(days=1)
    return (
        f"(({field}_precision = 'day' and {field} <= '{on}')"
        f" or ({field}_precision = 'month' and {field} <= '{minus_months(after, 1)}')"
        f" or ({field}_precision = 'year' and {field} <= '{minus_months(after, 12)}'))"
    )


def not_repealed(on):
    return (
        "not exists (select 1 from relationships r where r.object_id = instruments.id"
        f" and r.type = 'repeals' and (r.date_effective is null or r.date_effective <= '{on}'))"
    )


def in_force_where(on):
    """Datasette's `_where` with the same meaning as Instrument.objects.in_force_on(on)."""
    return (
        f"{started('entry_into_force', on)} and (end_of_validity is null or end_of_validity >= '{on}')"
        f" and {not_repealed(on)}"
    )


def applicable_where(on):
    """Datasette's `_where` with the meaning of Instrument.objects.applicable_on(on): in force and
    applicable (no date of application, or one certainly reached), or provisionally applied."""
    return (
        f"(({in_force_where(on)})"
        f" and (date_application is null or {started('date_application', on)}))"
        f" or ({started('date_provisional_application', on)}"
        f" and (entry_into_force is null or entry_into_force > '{on}')"
        f" and (end_of_validity is null or end_of_validity >= '{on}') and {not_repealed(on)})"
    )


SPARSE_FIELDS = ("title_en", "kind", "jurisdiction", "date_adopted")


def keyset_cursor(position):
    """DRF's cursor for "the rows after this primary key" (api.pagination.ListCursor): what a
    client following `next` deep into the list sends, without walking there first."""
    return base64.b64encode(urllib.parse.urlencode({"p": position}).encode("ascii")).decode("ascii")


def endpoints(detail_id, deep_id, subject):
    """(name, our URL, Datasette's equivalent or None). deep_id: the primary key after which the
    deep keyset page starts (about four fifths into the list)."""
    where = urllib.parse.quote(in_force_where(IN_FORCE_ON))
    applicable = urllib.parse.quote(applicable_where(IN_FORCE_ON))
    has_subject = urllib.parse.quote(
        "exists (select 1 from instrument_subjects s"
        f" where s.instrument_id = instruments.id and s.subject_id = '{subject}')"
    )
    sparse = ",".join(("id", *SPARSE_FIELDS))
    sparse_ds = "&".join(f"_col={name}" for name in SPARSE_FIELDS)
    cursor = urllib.parse.quote(keyset_cursor(deep_id))
    return [
        (
            "api_list_country",
            f"/api/v1/agreements/?country={COUNTRY}&page_size={PAGE_SIZE}",
            f"/bench/agreement_partners.json?country={COUNTRY}&_sort=date_signed&_size={PAGE_SIZE}",
        ),
        (
            "api_list_in_force",
            f"/api/v1/instruments/?in_force_on={IN_FORCE_ON}&page_size={PAGE_SIZE}",
            f"/bench/instruments.json?_where={where}&_sort=date_adopted&_size={PAGE_SIZE}",
        ),
        (
            "api_list_applicable",
            f"/api/v1/instruments/?applicable_on={IN_FORCE_ON}&page_size={PAGE_SIZE}",
            f"/bench/instruments.json?_where={applicable}&_sort=date_adopted&_size={PAGE_SIZE}",
        ),
        (
            "api_list_subject",
            f"/api/v1/instruments/?subject={subject}&page_size={PAGE_SIZE}",
            f"/bench/instruments.json?_where={has_subject}&_sort=date_adopted&_size={PAGE_SIZE}",
        ),
        (
            "api_list_sparse",
            f"/api/v1/instruments/?jurisdiction=eu&fields={sparse}&page_size={PAGE_SIZE}",
            f"/bench/instruments.json?jurisdiction=eu&{sparse_ds}&_sort=date_adopted&_size={PAGE_SIZE}",
        ),
        (
            "api_keyset_deep",
            f"/api/v1/instruments/?cursor={cursor}&page_size={PAGE_SIZE}",
            f"/bench/instruments.json?_next={urllib.parse.quote(deep_id)}&_size={PAGE_SIZE}",
        ),
        ("api_search", f"/api/v1/instruments/?q={SEARCH_WORD}&page_size={PAGE_SIZE}", None),
        ("api_facets", "/api/v1/instruments/?facets=kind,jurisdiction,status&page_size=20", None),
        ("api_changes", f"/api/v1/changes/?since=2000-01-01T00:00:00Z&page_size={PAGE_SIZE}", None),
        ("api_compare", f"/api/v1/compare/?on={IN_FORCE_ON}", None),
        ("api_detail", f"/api/v1/instruments/{detail_id}/", None),
        ("html_list", "/en/instruments/", None),
        ("html_detail", f"/en/instruments/{detail_id}/", None),
        ("html_compare", f"/en/compare/?on={IN_FORCE_ON}", None),
        ("html_home", "/en/", None),
        ("html_country", f"/en/countries/{COUNTRY}/", None),
        ("html_sources", "/en/sources/", None),
        ("html_timeline", "/en/timeline/", None),
        ("feed_changes", "/en/feeds/changes/", None),
    ]
