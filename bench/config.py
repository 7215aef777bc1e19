"""The benchmark's settings (the BENCH_* environment variables, docs in bench/run.py), its
fixed parameters, and the run's clock: log lines with the elapsed time, and the time budget."""

import datetime
import os
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = BASE / "var" / "bench"
HOST = "127.0.0.1"
PORT_OURS, PORT_DATASETTE, PORT_CEILING = 8101, 8102, 8103
WORKERS = 2
SEED = 1
IN_FORCE_ON = datetime.date(2020, 1, 1)
SEARCH_WORD = "readmission"
SUBJECT = "exit-readmission"  # a leaf of the vocabulary: one code, no narrower ones
# At size 0 (the real knowledge base alone): the detail pages' record, and the id after which the
# deep keyset page starts (the EU's ids end about four fifths into the list).
REAL_DETAIL = "eu-dir-2009-50"
REAL_DEEP_AFTER = "eu-reg-2019"
COUNTRY = "DE"
PAGE_SIZE = 50


def env(name, default):
    return os.environ.get(name, default) or default


SIZES = [int(s) for s in env("BENCH_SIZES", "0,1000,10000,100000").split(",") if s.strip()]
DATABASES = [s.strip() for s in env("BENCH_DATABASES", "postgresql,sqlite").split(",") if s.strip()]
DURATION = env("BENCH_DURATION", "5s")
CACHED_DURATION = env("BENCH_CACHED_DURATION", "3s")  # cached responses vary little: shorter runs
WARMUP = env("BENCH_WARMUP", "1s")  # per URL: both workers load the view's code (and fill the cache)
FIRST_WARMUP = env("BENCH_FIRST_WARMUP", "3s")
CONNECTIONS = int(env("BENCH_CONNECTIONS", "4"))
MAX_MINUTES = float(env("BENCH_MAX_MINUTES", "25"))
PG_URL = env("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kzbench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
STARTED = time.monotonic()


def log(message):
    elapsed = time.monotonic() - STARTED
    print(f"[bench {elapsed / 60:5.1f} min] {message}", flush=True)


def over_time():
    return (time.monotonic() - STARTED) / 60 > MAX_MINUTES
