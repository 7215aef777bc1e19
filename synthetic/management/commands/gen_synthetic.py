"""Generate synthetic instruments and agreements for benchmarks (never real data).

    python manage.py gen_synthetic --instruments 100000 --agreements 20000 [--seed 1] [--clear]

Every record made here is flagged `is_synthetic=True` (instruments, agreements) and every
id starts with "syn-" (instruments, agreements, parties, relationships, provenance, and the
one synthetic source), so `--clear` removes exactly what this command made and nothing
else. The records are never written to fixtures/, so `load_kb` never loads them.

The command reads its arguments and reports; the generation is the synthetic app's:
synthetic.generator (one run in a transaction, batched writes, provenance),
synthetic.instrument_records and synthetic.agreement_records (what is made, after the
proportions in synthetic.distributions) and synthetic.clearing (--clear).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from synthetic.generator import SyntheticRecordsExist, generate


class Command(BaseCommand):
    help = "Generate synthetic (benchmark) instruments and agreements; --clear removes them."

    def add_arguments(self, parser):
        parser.add_argument("--instruments", type=int, default=0, help="Number of synthetic instruments to add.")
        parser.add_argument("--agreements", type=int, default=0, help="Number of synthetic agreements to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same records).")
        parser.add_argument("--clear", action="store_true", help="Remove every synthetic record first.")

    def handle(self, *args, **options):
        n_instruments, n_agreements = options["instruments"], options["agreements"]
        if n_instruments < 0 or n_agreements < 0:
            raise CommandError("--instruments and --agreements must be zero or more.")
        if not (options["clear"] or n_instruments or n_agreements):
            raise CommandError("Nothing to do: give --instruments N and/or --agreements M, or --clear.")
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        try:
            generate(
                n_instruments,
                n_agreements,
                seed=options["seed"],
                clear_first=options["clear"],
                say=self.say,
                progress=self.progress,
            )
        except SyntheticRecordsExist as exc:
            raise CommandError(str(exc)) from exc
        self.say(f"Done in {time.monotonic() - started:.1f} s.", style=self.style.SUCCESS)

    def say(self, message, style=None, level=1):
        if self.verbosity >= level:
            self.stdout.write(style(message) if style else message)

    def progress(self, label, done, total):
        if self.verbosity >= 1:
            self.stdout.write(f"  {label}: {done:,}/{total:,}", ending="\r" if done < total else "\n")
            self.stdout.flush()
