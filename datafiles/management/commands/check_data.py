"""Check the data files without touching the database: schema, model rules, cross-checks.

    python manage.py check_data [--data-dir fixtures]

Exit status 1 with one `path: field: message` line per problem.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from datafiles.checks import check_directory
from datafiles.commands import data_dir_argument, data_directory, report


class Command(BaseCommand):
    help = "Check the data files (schema, model rules, cross-checks) without writing to the database."
    requires_system_checks = []

    def add_arguments(self, parser):
        data_dir_argument(parser)

    def handle(self, *args, **options):
        started = time.monotonic()
        directory = data_directory(options["data_dir"])
        reader, problems, warnings = check_directory(directory)
        for warning in warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        if problems:
            raise CommandError(report(problems, "The data files have problems"))
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(reader.bundles)} records in {directory} are valid ({time.monotonic() - started:.1f} s)."
                )
            )
