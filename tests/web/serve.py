"""The browser tests' server: `python -m tests.web.serve <port>` (started by tests/web/conftest.py).

Django's development server (`runserver --noreload`, threaded) with the test settings, over
the database DATABASE_URL names (on SQLite, a copy of the session's test database, made by
tests/web/conftest.py before it starts the server). It stops by itself when the test process that
started it is gone, so a killed test run leaves no server behind.
"""

import os
import sys
import threading
import time


def exit_with_parent(parent):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main(argv):
    port = argv[0]
    threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzmigration.settings.test")

    import django
    from django.core.management import call_command

    django.setup()
    # Checks run elsewhere in the suite (and in `make lint`); the server need not repeat them.
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1:])
