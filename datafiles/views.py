"""The data download page (`/<lang>/data/`) and the files of the published release (`/data/<file>`).

`manage.py export_kb` writes a release into settings.KB_DATA_RELEASE_DIR; the page lists what that
release's manifest lists (version, tables and rows, every file with its size and SHA-256) and says
how to cite it. Only the files the manifest names are served.
"""

import json
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.views.generic import TemplateView

from . import package
from .management.commands.export_kb import MANIFEST

MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".cff": "application/x-yaml; charset=utf-8",
    ".sqlite3": "application/vnd.sqlite3",
}


def release_dir():
    return Path(settings.KB_DATA_RELEASE_DIR)


def published_manifest():
    """The published release's manifest, or None where no release is published here."""
    try:
        manifest = json.loads((release_dir() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def downloadable(manifest):
    return set(manifest["files"]) | {MANIFEST, package.CHECKSUMS}


class DataView(TemplateView):
    template_name = "datafiles/data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manifest = published_manifest()
        version = (manifest or {}).get("version") or package.project_version()
        files = []
        if manifest:
            for name in sorted(downloadable(manifest)):
                path = release_dir() / name
                if path.is_file():
                    files.append({"name": name, "size": path.stat().st_size, "sha256": manifest["files"].get(name, "")})
        context.update(
            manifest=manifest,
            version=version,
            files=files,
            tables=(manifest or {}).get("tables", []),
            how_to_cite=package.how_to_cite(version),
            title=package.TITLE,
            license=package.LICENSE,
            api_tables=[("instruments", "instruments"), ("agreements", "agreements")],
        )
        return context


def data_file(request, name):
    manifest = published_manifest()
    if manifest is None or name not in downloadable(manifest):
        raise Http404("No such file in the published release.")
    path = release_dir() / name
    if not path.is_file():
        raise Http404("No such file in the published release.")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    return response
