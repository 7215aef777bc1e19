"""Load the knowledge base's real data from fixtures/, in dependency order.

Everything is validated (model clean() and database constraints) inside one
transaction: a bad record stops the load with its id and field, and nothing
is saved. Running it twice changes nothing, because every record has a stable
id and loaddata updates records in place.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

FIXTURES = [
    "countries",
    "organisations",
    "sources",
    "subjects",
    "instruments",
    "agreements",
    "discrepancies",
    "provenance",
]

VALIDATED_MODELS = [
    "instruments.Country",
    "instruments.Organisation",
    "instruments.Membership",
    "instruments.Source",
    "instruments.Subject",
    "instruments.Instrument",
    "instruments.OfficialText",
    "instruments.Provision",
    "instruments.Relationship",
    "instruments.Discrepancy",
    "instruments.Provenance",
    "agreements.Agreement",
    "agreements.Party",
    "agreements.ArticleStateMention",
]


def fixture_paths():
    return [settings.BASE_DIR / "fixtures" / f"{name}.json" for name in FIXTURES]


class Command(BaseCommand):
    help = "Load (or reload) the knowledge base's real data from fixtures/."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        paths = fixture_paths()
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"Missing fixture files: {', '.join(missing)}")
        try:
            with transaction.atomic():
                for path in paths:
                    if verbosity:
                        self.stdout.write(f"Loading {path.name}…")
                    call_command("loaddata", str(path), verbosity=0)
                self.validate(verbosity)
        except ValidationError as exc:
            raise CommandError(f"Invalid data, nothing was saved: {exc}") from exc
        if verbosity:
            counts = ", ".join(
                f"{apps.get_model(label).objects.count()} {apps.get_model(label)._meta.verbose_name_plural}"
                for label in ("instruments.Instrument", "agreements.Agreement", "instruments.Discrepancy",
                              "instruments.Provenance")
            )
            self.stdout.write(self.style.SUCCESS(f"Knowledge base loaded: {counts}."))

    def validate(self, verbosity):
        """loaddata skips clean(); run it on every record so model rules hold too."""
        for label in VALIDATED_MODELS:
            model = apps.get_model(label)
            for record in model.objects.all():
                try:
                    record.full_clean(validate_unique=False)
                except ValidationError as exc:
                    raise ValidationError(f"{label} {record.pk!r}: {exc.message_dict}") from exc
