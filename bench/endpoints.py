"""The measured endpoints: our URL and, where Datasette can answer the same question, its URL."""

import datetime
import urllib.parse

from bench.config import COUNTRY, IN_FORCE_ON, PAGE_SIZE, SEARCH_WORD


def in_force_where(on):
    """Datasette's `_where` with the same meaning as Instrument.objects.in_force_on(on)."""
    from calendar import monthrange

    def minus_months(day, months):
        month0 = day.month - 1 - months
        year, month = day.year + month0 // 12, month0 % 12 + 1
        return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))

    after = on + datetime.timedelta(days=1)
    return (
        f"((entry_into_force_precision = 'day' and entry_into_force <= '{on}')"
        f" or (entry_into_force_precision = 'month' and entry_into_force <= '{minus_months(after, 1)}')"
        f" or (entry_into_force_precision = 'year' and entry_into_force <= '{minus_months(after, 12)}'))"
        f" and (end_of_validity is null or end_of_validity >= '{on}')"
        " and not exists (select 1 from relationships r where r.object_id = instruments.id"
        f" and r.type = 'repeals' and (r.date_effective is null or r.date_effective <= '{on}'))"
    )


def endpoints(detail_id):
    """(name, our URL, Datasette's equivalent or None)."""
    where = urllib.parse.quote(in_force_where(IN_FORCE_ON))
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
        ("api_detail", f"/api/v1/instruments/{detail_id}/", None),
        ("api_facets", "/api/v1/instruments/?facets=kind,jurisdiction,status&page_size=20", None),
        ("api_search", f"/api/v1/instruments/?q={SEARCH_WORD}&page_size={PAGE_SIZE}", None),
        ("html_list", "/en/instruments/", None),
        ("html_detail", f"/en/instruments/{detail_id}/", None),
    ]
