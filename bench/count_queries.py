"""SQL queries per request: each URL fetched with Django's test client under
CaptureQueriesContext, against the benchmark database (prints one JSON object).

    DATABASE_URL=... python bench/count_queries.py /api/v1/instruments/ /en/instruments/ ...
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzmigration.settings.base")
# Count the work of a miss: the response cache would answer a repeat with no query at all.
os.environ["DJANGO_RESPONSE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(urls):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    result = {}
    for url in urls:
        client.get(url)  # first request: connection set-up, lazy caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result[url] = {
            "status": response.status_code,
            "queries": len(queries.captured_queries),
            "bytes": len(response.content),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
