"""A client generated from the OpenAPI schema runs the documented example (issue 12).

openapi-python-client (requirements-client.txt, in var/client-venv: its typer would clash with
frictionless's beside requirements-dev.txt) generates a client from the schema the test server
serves, with no warning; then the Python example of docs/api.md's "Generated clients" section runs
through it, in that venv, against the same server (the browser tests' `kb_server`): two sort keys
sent as repeated parameters, filters, facets, CSV and JSON-LD by their own operations, a table's
row, pagination, sync and an error model."""

import json
import os
import re
import subprocess
import urllib.request

import pytest
from django.conf import settings

from .conftest import ROOT, require

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

DOC = settings.BASE_DIR / "docs" / "api.md"
CLIENT_VENV = ROOT / "var" / "client-venv" / "bin"
PACKAGE = "kzmigration_client"


def generated_client_examples():
    text = DOC.read_text(encoding="utf-8")
    return [block for block in re.findall(r"```python\n(.*?)```", text, re.S) if f"from {PACKAGE} import" in block]


@pytest.fixture(scope="module")
def client_tools():
    generator = CLIENT_VENV / "openapi-python-client"
    require(generator.exists(), f"{generator.relative_to(ROOT)} missing: run `make test-setup`")
    env = {**os.environ, "PATH": f"{CLIENT_VENV}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    return generator, env


@pytest.fixture(scope="module")
def generated(client_tools, kb_server, tmp_path_factory):
    """The client, generated from the live schema; what the generator printed."""
    generator, env = client_tools
    directory = tmp_path_factory.mktemp("generated-client")
    with urllib.request.urlopen(f"{kb_server.url}/api/v1/schema/?format=json", timeout=30) as response:
        (directory / "schema.json").write_bytes(response.read())
    run = subprocess.run(
        [str(generator), "generate", "--path", "schema.json", "--meta", "none", "--output-path", PACKAGE],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return directory, run.stdout + run.stderr


def test_the_generator_has_no_warning_and_a_module_per_resource(generated):
    directory, output = generated
    assert "warning" not in output.lower(), output
    assert "Unable to process" not in output and "ruff is not in PATH" not in output, output
    api = directory / PACKAGE / "api"
    assert {p.name for p in (api / "instruments").glob("*.py")} == {
        "__init__.py",
        "instruments_list.py",
        "instruments_list_csv.py",
        "instruments_list_jsonld.py",
        "instruments_retrieve.py",
        "instruments_retrieve_jsonld.py",
    }
    # Every record model is generated (a dangling $ref once removed every model with provenance).
    models = {p.stem for p in (directory / PACKAGE / "models").glob("*.py")}
    assert {"instrument", "instrument_detail", "agreement", "country", "source", "membership_row"} <= models


def test_the_documented_example_runs_through_the_generated_client(client_tools, generated, live_kb):
    _generator, env = client_tools
    directory, _output = generated
    [example] = generated_client_examples()
    script = directory / "example.py"
    script.write_text(example.replace("http://127.0.0.1:8000", live_kb.url), encoding="utf-8")
    run = subprocess.run(
        [str(CLIENT_VENV / "python"), str(script)],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:] + live_kb.log(20)
    lines = run.stdout.splitlines()
    print(run.stdout)

    def said(prefix):
        return [line.removeprefix(prefix).split() for line in lines if line.startswith(prefix)]

    # Two sort keys, as the generated client sends them: what the API answers to the same order.
    expected = api_json(
        live_kb, "/api/v1/instruments/?ordering=-entry_into_force,id&fields=id,entry_into_force&page_size=3"
    )
    assert said("latest in force: ") == [[item["entry_into_force"], item["id"]] for item in expected["results"]]
    assert ["eu-dir-2003-86", "in_force"] in said("family reunification: ")
    [[listed, directives, _label, regulations]] = said("directives: ")
    assert listed == directives and int(regulations) > 0
    in_force_2017 = {words[1] for words in said("in force 2017: ")}
    assert in_force_2017 == {"CZ", "DE", "LT", "LV"}
    assert ["eu-dir-2021-1883", "repeals", "eu-dir-2009-50", "2023-11-19"] in said("repeal: ")
    assert "JSON-LD: ['Legislation', 'eli:LegalResource'] ['32009L0050', '2009/50/EC']" in lines
    assert "membership: eu-cz-2004-05-01 2004-05-01 None" in lines
    [[next_page]] = said("next page: ")
    assert next_page.startswith(live_kb.url) and "page=3" in next_page and "page_size=20" in next_page
    [[changed, _feed, _entries, entries, change]] = said("changed: ")
    assert int(changed) > 0 and entries == "5" and change in {"created", "updated", "deleted"}
    assert said("error: ") == [
        [
            "400",
            "invalid_parameters",
            "Not",
            "an",
            "ISO",
            "3166-1",
            "alpha-2",
            "or",
            "alpha-3",
            "country",
            "code:",
            '"XX".',
        ]
    ]


def api_json(server, path):
    with urllib.request.urlopen(f"{server.url}{path}", timeout=30) as response:
        return json.load(response)
