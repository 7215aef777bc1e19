"""Write the database's records back into the data files, in their canonical form.

    python manage.py dump_kb [--data-dir fixtures]

A file is rewritten only when its bytes change, so records nobody changed keep their
files byte for byte; the file of a record that no longer exists is removed. The hashes
load_kb compares with are updated, so a following load changes nothing.
"""

from django.core.management.base import BaseCommand

from datafiles.commands import data_dir_argument, data_directory
from datafiles.dumping import dump


class Command(BaseCommand):
    help = "Write the database's knowledge base into the data files (canonical YAML)."

    def add_arguments(self, parser):
        data_dir_argument(parser)

    def handle(self, *args, **options):
        directory = data_directory(options["data_dir"])
        written, removed, unchanged = dump(directory)
        if options["verbosity"]:
            for path in written:
                self.stdout.write(f"wrote {path}")
            for path in removed:
                self.stdout.write(f"removed {path}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(written)} files written, {len(removed)} removed, {unchanged} unchanged in {directory}."
                )
            )
