"""make profile's reading of py-spy's raw stacks (bench/profile.py)."""

from bench.config import BASE
from bench.profile import stacks, summary

RAW = (
    f'process 11605:"gunicorn kzmigration.wsgi";<module> (gunicorn:8);'
    f"get ({BASE}/compare/views.py:40);build_matrix ({BASE}/compare/matrix.py:256) 3\n"
    # A frame named from a docstring spans lines; its stack ends where the count is.
    f'process 11605:"gunicorn kzmigration.wsgi";<module> (gunicorn:8);get ({BASE}/compare/views.py:40);'
    "Internationalization\n\nThis module provides (django/utils/translation/__init__.py:1) 1\n"
    f'process 11605:"gunicorn kzmigration.wsgi";<module> (gunicorn:8);'
    "_execute (/venv/lib/python3.11/site-packages/django/db/backends/utils.py:105) 1\n"
)


def test_stacks_end_at_their_count_and_drop_the_process_frame():
    found = list(stacks(RAW))
    assert [samples for _frames, samples in found] == [3, 1, 1]
    assert found[0][0] == [
        "<module> (gunicorn:8)",
        f"get ({BASE}/compare/views.py:40)",
        f"build_matrix ({BASE}/compare/matrix.py:256)",
    ]
    assert found[1][0][-1] == "InternationalizationThis module provides (django/utils/translation/__init__.py:1)"


def test_summary_shares_own_samples_and_the_projects_functions_with_their_callees():
    text = summary(RAW)
    assert text.startswith("5 samples")
    own = text.split("own samples:\n")[1].split("\n\n")[0].splitlines()
    assert own[0] == " 60.0%  build_matrix (compare/matrix.py)"
    assert " 20.0%  _execute (django/db/backends/utils.py)" in own
    project = text.split("with what they call:\n")[1].splitlines()
    assert project == [" 80.0%  get (compare/views.py)", " 60.0%  build_matrix (compare/matrix.py)"]
