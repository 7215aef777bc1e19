"""What the data-file commands share: the --data-dir option and the shape of a problem report."""

from pathlib import Path

from django.conf import settings


def data_dir_argument(parser):
    parser.add_argument(
        "--data-dir", default=None, help="Directory of the data files (default: fixtures/ in the project)."
    )


def data_directory(given):
    return Path(given) if given else settings.BASE_DIR / "fixtures"


def report(problems, heading):
    lines = [str(problem) for problem in problems]
    return f"{heading} ({len(lines)}):\n" + "\n".join(lines)
