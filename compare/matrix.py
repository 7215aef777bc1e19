"""The comparison matrix: subjects of the vocabulary (rows) × legal orders (columns) on a date.

A cell lists the records that *apply* on the date for the subject (in force and applicable, or
provisionally applied; status_case, the one rule of core.lifecycle); apart from them, those in
force but not yet applicable and the proposals still pending, never counted as applicable law.
With a second, earlier date (`since`), a cell also says which records entered it and which
left it between the two dates.

A row counts its narrower subjects: the "legal entry and stay" row holds what is coded with
family reunification, asylum and the other subjects below it.

The columns (legal orders), and which records each holds:

- eu, eaeu, cis: the order's own law (jurisdiction eu, eaeu or cis), treaties and acts of its
  bodies alike, by their own dates; but a bilateral treaty with Kazakhstan as a party (the
  EU–Kazakhstan EPCA) is in `kz_agreements`, not here;
- kz: Kazakhstan's national law;
- treaties_kz: multilateral treaties (any jurisdiction: UN, other international, EAEU, CIS)
  *in force for Kazakhstan* on the date, from the date they entered into force for
  Kazakhstan (InstrumentQuerySet.in_force_for_kazakhstan_on), never from the treaty's own.
  An EAEU or CIS treaty is therefore in two columns on purpose: in its order's column as that
  order's law, and here as binding Kazakhstan; the acts of EAEU and CIS bodies that are not
  treaties are in their order's column only;
- kz_agreements: Kazakhstan's agreements with partner states (readmission, labour migration
  and the other agreements), and the bilateral treaties of the instruments with Kazakhstan as
  a party (the partner may be the EU).

The whole matrix comes from four queries, whatever the number of cells: the real instruments
with their repeal dates, Kazakhstan-party flag and subject codes, the real agreements with
their subject codes, the agreements' parties, and the vocabulary — read once per data version
in each process (`records()`); status on each date comes from the lifecycle's Python twins, and
the cells are filled in Python.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from core.db import joined_rows, split_rows
from core.i18n import localized
from core.lifecycle import LIFECYCLE_COLUMNS, ProcedureStage, Status
from core.versioning import data_version
from countries.models import KAZAKHSTAN
from instruments.models import LABEL_FIELDS, Instrument, instrument_label
from instruments.vocabulary import TREATY_KINDS, Jurisdiction, Level
from subjects.models import Subject


@dataclass(frozen=True)
class Order:
    code: str
    label: str


ORDERS = [
    Order("eu", _("European Union")),
    Order("eaeu", _("Eurasian Economic Union")),
    Order("cis", _("Commonwealth of Independent States")),
    Order("kz", _("Kazakhstan (national law)")),
    Order("treaties_kz", _("International treaties binding Kazakhstan")),
    Order("kz_agreements", _("Kazakhstan's agreements with partner states")),
]
ORDER_CODES = [order.code for order in ORDERS]

# The schemes that make rows (policy tools are means, not subjects of comparison).
ROW_SCHEMES = (Subject.Scheme.POLICY_AREA, Subject.Scheme.TARGET_GROUP)

APPLICABLE = "applicable"
NOT_YET_APPLICABLE = "in_force_not_yet_applicable"
PENDING = "pending"
ENTERED = "entered"
LEFT = "left"
APPLIES = (Status.IN_FORCE.value, Status.PROVISIONALLY_APPLIED.value)
PENDING_STAGES = (
    ProcedureStage.PROPOSED.value,
    ProcedureStage.UNDER_NEGOTIATION.value,
    ProcedureStage.PROVISIONAL_AGREEMENT.value,
)


@dataclass
class Entry:
    """One record in a cell."""

    type: str  # "instrument" or "agreement"
    id: str
    label: str
    url: str
    status: str  # its status on `on`

    @property
    def sort_key(self):
        return (self.label.casefold(), self.id)

    @cached_property
    def link(self):
        # The page's link to the record, built once: an entry is in its subject's row and in
        # every broader row's, and three variables per link were a fifth of the page's rendering.
        return format_html('<a href="{}" data-id="{}">{}</a>', self.url, self.id, self.label)


@dataclass
class Cell:
    order: Order
    applicable: list = field(default_factory=list)
    not_yet_applicable: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    entered: list | None = None  # with `since` only
    left: list | None = None

    @property
    def is_empty(self):
        return not (self.applicable or self.not_yet_applicable or self.pending or self.left)

    @property
    def entered_ids(self):
        return {(entry.type, entry.id) for entry in self.entered or ()}


@dataclass
class Row:
    subject: Subject
    depth: int
    codes: frozenset  # the subject's code and its narrower codes
    cells: list

    @property
    def label(self):
        return localized(self.subject, "label")[0] or self.subject.code


@dataclass
class Matrix:
    on: datetime.date
    since: datetime.date | None
    orders: list
    rows: list
    vocabulary: list  # (subject, depth) of every row scheme, in tree order: what a form offers

    def changes(self, name):
        """The distinct records that entered (or left) any cell: (type, id) → Entry."""
        found = {}
        for row in self.rows:
            for cell in row.cells:
                for entry in getattr(cell, name) or ():
                    found.setdefault((entry.type, entry.id), entry)
        return sorted(found.values(), key=lambda entry: entry.sort_key)


def instrument_orders(instrument):
    """The columns an instrument belongs to, from what it is (not from its dates)."""
    if instrument.level == Level.BILATERAL:
        if instrument.kazakhstan_party:
            return ["kz_agreements"]
        return [instrument.jurisdiction] if instrument.jurisdiction in ("eu", "eaeu", "cis") else []
    orders = []
    if instrument.jurisdiction in (Jurisdiction.EU, Jurisdiction.EAEU, Jurisdiction.CIS):
        orders.append(instrument.jurisdiction)
    elif instrument.jurisdiction == Jurisdiction.KZ and instrument.level == Level.NATIONAL:
        orders.append("kz")
    if instrument.kind in TREATY_KINDS and instrument.level != Level.NATIONAL:
        orders.append("treaties_kz")
    return orders


def _category(status):
    if status in APPLIES:
        return APPLICABLE
    if status == Status.IN_FORCE_NOT_YET_APPLICABLE:
        return NOT_YET_APPLICABLE
    if status in PENDING_STAGES:
        return PENDING
    return None


def _treaty_category(instrument, day, repeals):
    """A treaty's category for Kazakhstan: applicable from its entry into force for Kazakhstan
    and its date of application; pending while it is a proposal."""
    parties = {KAZAKHSTAN} if instrument.kazakhstan_party else set()
    if instrument.in_force_for_kazakhstan_on(day, repeals, parties):
        if instrument.date_application is None or instrument._certainly_started("date_application", day):
            return APPLICABLE
        if instrument.date_application > day:
            return NOT_YET_APPLICABLE
    if instrument.status_on(day, repeals) in PENDING_STAGES:
        return PENDING
    return None


# The columns a cell's entry is made from: status (the lifecycle), the column (what the record
# is) and the label. Summaries, notes and references are not read (a third of the query's time).
# A field read but not listed here would cost a query per record: tests/compare hold the
# matrix to its four queries.
INSTRUMENT_FIELDS = ("id", "kind", "level", "jurisdiction", "entry_into_force_kz", "entry_into_force_kz_precision")
AGREEMENT_FIELDS = ("id", "type", "amends_id", "date_signed")


def _instruments():
    # Status and "in force for Kazakhstan" by the lifecycle's Python twins (held equal to the SQL
    # in tests/instruments/test_lifecycle.py) from the repeal dates and the Kazakhstan-party flag
    # read in this one query: building the rules as SQL per date was most of the matrix's time.
    fields = (*INSTRUMENT_FIELDS, *LIFECYCLE_COLUMNS, *LABEL_FIELDS)
    return (
        Instrument.objects.real()
        .with_repeal_dates()
        .with_kazakhstan_party()
        .annotate(subject_rows=joined_rows(Instrument.subjects.through, "instrument", ("subject_id",)))
        .only(*fields)
        .order_by()
    )


def _agreements():
    fields = (*AGREEMENT_FIELDS, *LIFECYCLE_COLUMNS)
    return (
        Agreement.objects.real()
        .annotate(subject_rows=joined_rows(Agreement.subjects.through, "agreement", ("subject_id",)))
        .only(*fields)
        .with_party_list(order=("country__code",))
        .order_by()
    )


def _codes(record):
    """A record's subject codes, read in its own query (by the link table's index on the record:
    a query of the links of every real record joined the whole table, 18,000 rows at 10,000
    instruments)."""
    return {row["subject_id"] for row in split_rows(record.subject_rows, ("subject_id",))}


@dataclass(frozen=True)
class Records:
    """What the matrix reads from the database, none of which depends on the dates asked."""

    instruments: list  # (instrument, subject codes, columns, repeal dates), those with subjects
    agreements: list  # (agreement, subject codes), those with subjects
    subjects: list  # the vocabulary


def read_records():
    instruments = [(i, _codes(i), instrument_orders(i), i.repeal_dates()) for i in _instruments()]
    agreements = [(a, _codes(a)) for a in _agreements()]
    return Records(
        [row for row in instruments if row[1]], [row for row in agreements if row[1]], list(Subject.objects.order_by())
    )


_kept = (None, None)  # (data version, Records) of this process


def records():
    """The matrix's records, read once per data version in each process: every date and every
    row or column asked reads the same few hundred real records, and reading them was two
    thirds of the matrix's time (8.5 of 12 ms at 10,000 instruments, 4 December 2026). Each
    request reads the data version (core.versioning: Redis where app instances share one), and
    every write replaces it at once and again on commit, so what is kept is never older than
    the data a fresh read would see. The records are only read here, never changed, so threads
    may share them. Off (KB_KEEP_COMPARISON_RECORDS) in tests, whose rolled-back writes leave
    the version they made behind."""
    global _kept
    if not settings.KB_KEEP_COMPARISON_RECORDS:
        return read_records()
    version = data_version()
    kept_version, kept = _kept
    if kept_version != version:
        kept = read_records()
        _kept = (version, kept)
    return kept


def subject_rows(subjects, schemes=ROW_SCHEMES, within=None):
    """The vocabulary as rows in tree order (a parent before its narrower subjects), with each
    row's codes (its own and every narrower one's). `within`: only this subject and below."""
    children = {}
    by_code = {subject.code: subject for subject in subjects}
    for subject in subjects:
        children.setdefault(subject.parent_id, []).append(subject)
    for siblings in children.values():
        siblings.sort(key=lambda s: s.code)

    def below(code):
        codes = {code}
        for child in children.get(code, []):
            codes |= below(child.code)
        return codes

    rows = []

    def walk(subject, depth):
        rows.append((subject, depth, frozenset(below(subject.code))))
        for child in children.get(subject.code, []):
            walk(child, depth + 1)

    roots = [by_code[within]] if within else [s for s in subjects if s.parent_id not in by_code]
    for root in sorted(roots, key=lambda s: (ROW_SCHEMES.index(s.scheme) if s.scheme in ROW_SCHEMES else 9, s.code)):
        walk(root, 0)
    return [row for row in rows if row[0].scheme in schemes]


def build_matrix(on, since=None, schemes=ROW_SCHEMES, subject=None, orders=None):
    """The matrix on `on` (and its changes since `since`, an earlier date).

    schemes: the vocabulary schemes that make rows; subject: one subject code (its row and those
    below it); orders: the column codes to show (default all, in ORDERS' order)."""
    dates = {"on": on}
    if since is not None:
        dates["since"] = since
    columns = [order for order in ORDERS if orders is None or order.code in orders]
    wanted = {order.code for order in columns}

    kept = records()
    # (order, key) → category → {(type, id): Entry}; then each record's subject codes.
    placed = []  # (codes, order code, {key: category}, entry)
    for instrument, codes, instrument_columns, repeals in kept.instruments:
        for order in instrument_columns:
            if order not in wanted:
                continue
            if order == "treaties_kz":
                categories = {key: _treaty_category(instrument, day, repeals) for key, day in dates.items()}
            else:
                categories = {key: _category(instrument.status_on(day, repeals)) for key, day in dates.items()}
            if not any(categories.values()):
                continue
            entry = Entry(
                "instrument",
                instrument.pk,
                instrument_label(instrument),
                instrument.get_absolute_url(),
                instrument.status_on(on, repeals).value,
            )
            placed.append((codes, order, categories, entry))
    if "kz_agreements" in wanted:
        for agreement, codes in kept.agreements:
            categories = {key: _category(agreement.status_on(day)) for key, day in dates.items()}
            if not any(categories.values()):
                continue
            entry = Entry(
                "agreement",
                agreement.pk,
                str(agreement.label),
                agreement.get_absolute_url(),
                agreement.status_on(on).value,
            )
            placed.append((codes, "kz_agreements", categories, entry))

    subjects = kept.subjects
    rows = []
    for subject, depth, row_codes in subject_rows(subjects, schemes, subject):
        cells = {order.code: Cell(order) for order in columns}
        if since is not None:
            for cell in cells.values():
                cell.entered, cell.left = [], []
        for codes, order, categories, entry in placed:
            if codes.isdisjoint(row_codes):
                continue
            cell = cells[order]
            now = categories["on"]
            if now == APPLICABLE:
                cell.applicable.append(entry)
            elif now == NOT_YET_APPLICABLE:
                cell.not_yet_applicable.append(entry)
            elif now == PENDING:
                cell.pending.append(entry)
            if since is not None:
                before = categories["since"]
                if now == APPLICABLE and before != APPLICABLE:
                    cell.entered.append(entry)
                elif before == APPLICABLE and now != APPLICABLE:
                    cell.left.append(entry)
        for cell in cells.values():
            for name in ("applicable", "not_yet_applicable", "pending", "entered", "left"):
                entries = getattr(cell, name)
                if entries:
                    entries.sort(key=lambda e: e.sort_key)
        rows.append(Row(subject, depth, row_codes, [cells[order.code] for order in columns]))
    vocabulary = [(subject, depth) for subject, depth, _codes in subject_rows(subjects)]
    return Matrix(on, since, columns, rows, vocabulary)
