"""Target 6 of the benchmark: how long `check_data` takes to validate 10,000 record files.

    python bench/validate_files.py [N]      (default 10,000; prints one JSON line)

Copies fixtures/ into a temporary directory and adds synthetic instrument files up to N record
files in all: copies of a small real file (kz-zakon-1992-immigration.yaml) each with its own id
and ELI path, so every check — the schema, the model's rules, the cross-checks — runs on every
file. Then runs `manage.py check_data --data-dir` on it, timed from outside (Django's start up
included), and reports the seconds and whether it passed.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
TEMPLATE = "kz-zakon-1992-immigration"
TEMPLATE_ELI = "/kz/zakon/1992/immigration"


def record_files(directory):
    return [p for p in directory.rglob("*.yaml") if p.parent != directory and p.parent.name != "schema"]


def main(total):
    with tempfile.TemporaryDirectory(prefix="kz-validate-") as tmp:
        data = Path(tmp) / "fixtures"
        shutil.copytree(BASE / "fixtures", data)
        text = (data / "instruments" / f"{TEMPLATE}.yaml").read_text()
        real = len(record_files(data))
        for n in range(max(0, total - real)):
            pk = f"syn-file-{n:05d}"
            copy = text.replace(TEMPLATE_ELI, f"/kz/zakon/1992/{pk}").replace(TEMPLATE, pk)
            (data / "instruments" / f"{pk}.yaml").write_text(copy)
        files = len(record_files(data))
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "manage.py", "check_data", "--data-dir", str(data)],
            cwd=BASE,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - started
    print(
        json.dumps(
            {
                "record_files": files,
                "seconds": round(seconds, 1),
                "passed": result.returncode == 0,
                "output": (result.stdout + result.stderr).strip()[-500:],
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
