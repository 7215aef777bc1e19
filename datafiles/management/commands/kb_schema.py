"""Write the data files' JSON Schemas, generated from the models, to fixtures/schema/.

    python manage.py kb_schema [--check]

--check fails when the committed schemas differ from what the models give.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from datafiles import registry, schema


class Command(BaseCommand):
    help = "Write (or --check) the JSON Schemas of the data files in fixtures/schema/."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the committed schemas are out of date.")
        parser.add_argument("--out", default=None, help="Directory to write to (default: fixtures/schema/).")

    def handle(self, *args, **options):
        folder = Path(options["out"]) if options["out"] else settings.BASE_DIR / "fixtures" / "schema"
        stale = []
        for kind in registry.FILE_TYPES:
            path = folder / f"{kind.name}.schema.json"
            text = schema.render(kind)
            if options["check"]:
                if not path.is_file() or path.read_text(encoding="utf-8") != text:
                    stale.append(path.name)
            else:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        if stale:
            raise CommandError(f"Out of date (run `python manage.py kb_schema`): {', '.join(stale)}")
        if options["verbosity"] and not options["check"]:
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(registry.FILE_TYPES)} schemas to {folder}."))
