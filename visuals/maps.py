"""The map of Kazakhstan's partner states: how each is shaded on a date, and the outlines it is drawn with."""

import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from agreements.models import KAZAKHSTAN, Agreement, ArticleStateMention
from core.lifecycle import Status
from countries.models import Country

MAP_FILE = settings.BASE_DIR / "static" / "img" / "world-110m-paths.json"
# Countries smaller than this (px, either side) also get a round marker, so they can be seen and clicked.
SMALL_COUNTRY_PX = 7


class MapCategory:
    """How a country is shaded. Order matters: a country with several agreements shows the first that applies."""

    KAZAKHSTAN = "kazakhstan"
    IN_FORCE = "in_force"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    STATUS_UNKNOWN = "unknown"
    NO_LONGER_IN_FORCE = "no_longer_in_force"
    NAMED_ONLY = "named_only"

    LABELS = {
        KAZAKHSTAN: _("Kazakhstan"),
        IN_FORCE: _("Readmission agreement in force"),
        NOT_YET_IN_FORCE: _("Readmission agreement signed, not yet in force"),
        STATUS_UNKNOWN: _("Readmission agreement signed, status unknown"),
        NO_LONGER_IN_FORCE: _("Readmission agreement no longer in force"),
        NAMED_ONLY: _("No agreement found; named in the article's list of '13 other states'"),
    }
    ORDER = [KAZAKHSTAN, IN_FORCE, NOT_YET_IN_FORCE, STATUS_UNKNOWN, NO_LONGER_IN_FORCE, NAMED_ONLY]
    # Okabe–Ito colours (safe for colour-blind readers); the two uncertain kinds are also hatched,
    # so they differ by more than colour. Patterns are defined in templates/visuals/map.html.
    FILLS = {
        KAZAKHSTAN: "#8c1c4b",
        IN_FORCE: "#0072b2",
        NOT_YET_IN_FORCE: "#e69f00",
        STATUS_UNKNOWN: "url(#map-hatch-unknown)",
        NO_LONGER_IN_FORCE: "#595959",
        NAMED_ONLY: "url(#map-hatch-named)",
    }
    FROM_STATUS = {
        Status.IN_FORCE: IN_FORCE,
        Status.NOT_YET_IN_FORCE: NOT_YET_IN_FORCE,
        Status.UNKNOWN: STATUS_UNKNOWN,
        Status.NO_LONGER_IN_FORCE: NO_LONGER_IN_FORCE,
    }


@cache
def world_outlines():
    """The pre-built country outlines (tools/build_map.py), read once per process."""
    return json.loads(MAP_FILE.read_text())


@dataclass
class MapCountry:
    country: Country
    category: str
    agreements: list = field(default_factory=list)  # (agreement, status) pairs
    mentions: list = field(default_factory=list)  # ArticleStateMention rows

    @property
    def category_label(self):
        return MapCategory.LABELS[self.category]

    @property
    def fill(self):
        return MapCategory.FILLS[self.category]


def map_countries(on):
    """Kazakhstan, its readmission partners and the article's other named states, by numeric code.

    A partner's shade is the status on `on` of its agreement; with several
    agreements, the most current one wins (in force before not yet in force …).
    States the article names without any agreement on record are shaded as named only.
    """
    agreements = (
        Agreement.objects.real()
        .prefetch_related("parties__country")
        .order_by(F("date_signed").asc(nulls_last=True), "id")
    )
    by_code = {}
    for agreement in agreements:
        status = agreement.status_on(on)
        for party in agreement.parties.all():
            if party.country_id == KAZAKHSTAN:
                continue
            entry = by_code.setdefault(party.country_id, MapCountry(party.country, MapCategory.NAMED_ONLY))
            entry.agreements.append((agreement, status))
    for entry in by_code.values():
        categories = [MapCategory.FROM_STATUS[status] for _, status in entry.agreements]
        entry.category = min(categories, key=MapCategory.ORDER.index)

    mentions = (
        ArticleStateMention.objects.filter(
            list__in=[ArticleStateMention.ArticleList.RATIFIED_12, ArticleStateMention.ArticleList.OTHER_13]
        )
        .select_related("country")
        .order_by("list", "position", "country")
    )
    for mention in mentions:
        entry = by_code.setdefault(mention.country_id, MapCountry(mention.country, MapCategory.NAMED_ONLY))
        entry.mentions.append(mention)

    kazakhstan = Country.objects.filter(code=KAZAKHSTAN).first()
    if kazakhstan is not None:
        by_code[KAZAKHSTAN] = MapCountry(kazakhstan, MapCategory.KAZAKHSTAN)
    return {entry.country.numeric: entry for entry in by_code.values()}


def map_shapes(shaded):
    """Every outline, with the MapCountry of shaded ones; shaded shapes last so their borders draw on top."""
    outlines = world_outlines()
    plain, coloured = [], []
    for outline in outlines["countries"]:
        entry = shaded.get(outline["numeric"]) if outline["numeric"] else None
        x0, y0, x1, y1 = outline["bbox"]
        shape = {
            **outline,
            "entry": entry,
            "small": entry is not None and (x1 - x0 < SMALL_COUNTRY_PX or y1 - y0 < SMALL_COUNTRY_PX),
        }
        (coloured if entry else plain).append(shape)
    return plain, coloured
