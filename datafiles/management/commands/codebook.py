"""Write docs/codebook.md from the models (or check it is current with --check)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from datafiles.codebook import render_markdown


class Command(BaseCommand):
    help = "Write docs/codebook.md from the models; --check fails if the file is out of date."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if docs/codebook.md is out of date.")

    def handle(self, *args, check=False, **options):
        path = settings.BASE_DIR / "docs" / "codebook.md"
        text = render_markdown()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError("docs/codebook.md is out of date: run `python manage.py codebook`.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
