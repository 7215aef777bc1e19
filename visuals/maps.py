"""The map of Kazakhstan's partner states: how each is shaded on a date, and the outlines it is drawn with."""

import json
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db.models import F
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agreements.models import KAZAKHSTAN, Agreement, AgreementType, ArticleStateMention
from core.lifecycle import Status
from countries.models import Country

MAP_FILE = settings.BASE_DIR / "static" / "img" / "world-110m-paths.json"
# Countries smaller than this (px, either side) also get a round marker, so they can be seen and clicked.
SMALL_COUNTRY_PX = 7


class MapCategory:
    """How a country is shaded. Order matters: a country with several agreements shows the first that applies."""

    KAZAKHSTAN = "kazakhstan"
    IN_FORCE = "in_force"
    PROVISIONALLY_APPLIED = "provisionally_applied"
    NOT_YET_APPLICABLE = "in_force_not_yet_applicable"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    STATUS_UNKNOWN = "unknown"
    NO_LONGER_IN_FORCE = "no_longer_in_force"
    NAMED_ONLY = "named_only"

    # Labels for all types together; TYPED_LABELS name the one type shown.
    LABELS = {
        KAZAKHSTAN: _("Kazakhstan"),
        IN_FORCE: _("Agreement in force"),
        PROVISIONALLY_APPLIED: _("Agreement applied provisionally"),
        NOT_YET_APPLICABLE: _("Agreement in force, not yet applicable"),
        NOT_YET_IN_FORCE: _("Agreement signed, not yet in force"),
        STATUS_UNKNOWN: _("Agreement signed, status unknown"),
        NO_LONGER_IN_FORCE: _("Agreement no longer in force"),
        NAMED_ONLY: _("No agreement found; named in the article's list of '13 other states'"),
    }
    TYPED_LABELS = {
        IN_FORCE: _("%(type)s agreement in force"),
        PROVISIONALLY_APPLIED: _("%(type)s agreement applied provisionally"),
        NOT_YET_APPLICABLE: _("%(type)s agreement in force, not yet applicable"),
        NOT_YET_IN_FORCE: _("%(type)s agreement signed, not yet in force"),
        STATUS_UNKNOWN: _("%(type)s agreement signed, status unknown"),
        NO_LONGER_IN_FORCE: _("%(type)s agreement no longer in force"),
    }
    ORDER = [
        KAZAKHSTAN,
        IN_FORCE,
        PROVISIONALLY_APPLIED,
        NOT_YET_APPLICABLE,
        NOT_YET_IN_FORCE,
        STATUS_UNKNOWN,
        NO_LONGER_IN_FORCE,
        NAMED_ONLY,
    ]
    # Okabe–Ito colours (safe for colour-blind readers); the two uncertain kinds are also hatched,
    # so they differ by more than colour. Patterns are defined in templates/visuals/map.html.
    FILLS = {
        KAZAKHSTAN: "#8c1c4b",
        IN_FORCE: "#0072b2",
        PROVISIONALLY_APPLIED: "#56b4e9",
        NOT_YET_APPLICABLE: "#cc79a7",
        NOT_YET_IN_FORCE: "#e69f00",
        STATUS_UNKNOWN: "url(#map-hatch-unknown)",
        NO_LONGER_IN_FORCE: "#595959",
        NAMED_ONLY: "url(#map-hatch-named)",
    }
    FROM_STATUS = {
        Status.IN_FORCE: IN_FORCE,
        Status.PROVISIONALLY_APPLIED: PROVISIONALLY_APPLIED,
        Status.IN_FORCE_NOT_YET_APPLICABLE: NOT_YET_APPLICABLE,
        Status.NOT_YET_IN_FORCE: NOT_YET_IN_FORCE,
        Status.UNKNOWN: STATUS_UNKNOWN,
        Status.NO_LONGER_IN_FORCE: NO_LONGER_IN_FORCE,
    }

    @classmethod
    def label(cls, category, agreement_type=None):
        """The category's label; with one agreement type chosen, the label names it."""
        if agreement_type and category in cls.TYPED_LABELS:
            return capfirst(cls.TYPED_LABELS[category] % {"type": AgreementType(agreement_type).label})
        return cls.LABELS[category]


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
    agreement_type: str | None = None  # the one type shown, or None for all types

    @property
    def category_label(self):
        return MapCategory.label(self.category, self.agreement_type)

    @property
    def fill(self):
        return MapCategory.FILLS[self.category]


def map_countries(on, agreement_type=None):
    """Kazakhstan, its partner states and the article's other named states, by numeric code.

    `agreement_type`: one AgreementType value, or None for every type. A partner's shade is
    the status on `on` of its agreement; with several agreements, the most current one wins
    (in force before not yet in force …). States the article names (in its lists of
    readmission agreements) without any agreement on record are shaded as named only; they
    are shown with every type and with readmission, not with another single type.
    """
    agreements = (
        Agreement.objects.real()
        .prefetch_related("parties__country")
        .order_by(F("date_signed").asc(nulls_last=True), "id")
    )
    if agreement_type:
        agreements = agreements.filter(type=agreement_type)
    by_code = {}

    def entry_for(country):
        return by_code.setdefault(
            country.code, MapCountry(country, MapCategory.NAMED_ONLY, agreement_type=agreement_type)
        )

    for agreement in agreements:
        status = agreement.status_on(on)
        for party in agreement.parties.all():
            if party.country_id == KAZAKHSTAN:
                continue
            entry_for(party.country).agreements.append((agreement, status))
    for entry in by_code.values():
        categories = [MapCategory.FROM_STATUS[status] for _, status in entry.agreements]
        entry.category = min(categories, key=MapCategory.ORDER.index)

    if agreement_type in (None, AgreementType.READMISSION):
        mentions = (
            ArticleStateMention.objects.filter(
                list__in=[ArticleStateMention.ArticleList.RATIFIED_12, ArticleStateMention.ArticleList.OTHER_13]
            )
            .select_related("country")
            .order_by("list", "position", "country")
        )
        for mention in mentions:
            entry_for(mention.country).mentions.append(mention)

    kazakhstan = Country.objects.filter(code=KAZAKHSTAN).first()
    if kazakhstan is not None:
        by_code[KAZAKHSTAN] = MapCountry(kazakhstan, MapCategory.KAZAKHSTAN, agreement_type=agreement_type)
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
