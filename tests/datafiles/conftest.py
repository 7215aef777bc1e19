"""Data directories for the datafiles tests: a copy of the real data, or a small one."""

import shutil

import pytest
from django.conf import settings

from datafiles.yamlio import parse, render


@pytest.fixture
def data_dir(tmp_path):
    """A copy of the real data files, to break one at a time."""
    target = tmp_path / "data"
    shutil.copytree(settings.BASE_DIR / "fixtures", target, ignore=shutil.ignore_patterns("schema"))
    return target


def edit(directory, relative, change):
    """Parse a data file, let `change` alter the data, write it back canonically."""
    path = directory / relative
    data = parse(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(render(data), encoding="utf-8")
