"""Load the knowledge base from its data files (fixtures/), keeping edits made in the admin.

    python manage.py load_kb [--data-dir fixtures] [--overwrite]

Every file is checked first (check_data's steps); with any problem, all of them are
reported as `path: field: message` lines and nothing is saved. Then, in one transaction,
what changed is written: records created, changed or deleted with their children and
provenance, one history entry per row ("Loaded from data files by load_kb"). Running it
twice changes nothing. A record edited in the database since it was last loaded or
dumped is kept, and named (see datafiles.sync); --overwrite replaces it with the file.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from datafiles import registry
from datafiles.checks import check_directory
from datafiles.commands import data_dir_argument, data_directory, report
from datafiles.database import read_bundles
from datafiles.sync import load


class Command(BaseCommand):
    help = "Load (or reload) the knowledge base from its data files; edits made in the database are kept."

    def add_arguments(self, parser):
        data_dir_argument(parser)
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace records edited in the database since the last load with their files.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        directory = data_directory(options["data_dir"])
        reader, problems, warnings = check_directory(directory)
        for warning in warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        if problems:
            raise CommandError(report(problems, "Invalid data, nothing was saved"))
        try:
            plan, writer = load(reader.bundles, read_bundles(), overwrite=options["overwrite"])
        except DatabaseError as exc:
            raise CommandError(f"Invalid data, nothing was saved: {directory}: (database): {exc}") from exc
        for note in plan.notes:
            self.stdout.write(self.style.WARNING(note))
        if verbosity:
            self.stdout.write(
                f"{len(plan.apply)} records loaded, {len(plan.delete)} deleted, {writer.changes} rows changed."
            )
            counts = ", ".join(
                f"{apps.get_model(label).objects.count()} {apps.get_model(label)._meta.verbose_name_plural}"
                for label in registry.SUMMARY
            )
            self.stdout.write(self.style.SUCCESS(f"Knowledge base loaded: {counts}."))
