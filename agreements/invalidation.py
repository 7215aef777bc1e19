"""Which agreement pages a write changes (core.versioning): an agreement's pages show its own
rows, the protocols amending it, and, for a protocol, the agreement it amends and its parties.
What the article says of a state (ArticleStateMention) shows on every agreement with that
state: it is left unregistered, so a change to it makes every page stale."""

from core.versioning import register_record_pages

from .models import Agreement, Party


def family(pk):
    """The agreement, the one it amends and the protocols amending it."""
    rows = Agreement.objects.filter(pk=pk).values_list("amends_id", flat=True)
    protocols = Agreement.objects.filter(amends_id=pk).values_list("pk", flat=True)
    return {("agreement", pk)} | {("agreement", other) for other in [*rows, *protocols] if other}


def register():
    register_record_pages(Agreement, lambda agreement: family(agreement.pk))
    register_record_pages(Party, lambda party: family(party.agreement_id))
    register_record_pages(Agreement.subjects.through, lambda row: {("agreement", row.agreement_id)})
