"""Writing the database into the data files: canonical YAML, only the files that change."""

from pathlib import Path

from . import registry, yamlio
from .database import read_bundles
from .records import file_data
from .sync import Plan, remember, stored_hashes


def dump(data_dir):
    """Write every record's file; returns (paths written, paths removed, number unchanged)."""
    data_dir = Path(data_dir)
    bundles = read_bundles()
    written, removed, unchanged = [], [], 0
    for kind in registry.FILE_TYPES:
        mine = [bundle for bundle in bundles.values() if bundle.kind is kind]
        if kind.per_record:
            texts = {
                f"{kind.name}/{bundle.record.pk}.yaml": yamlio.render(file_data(kind, [bundle])) for bundle in mine
            }
            folder = data_dir / kind.name
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
                relative = path.relative_to(data_dir).as_posix()
                if relative not in texts:
                    path.unlink()
                    removed.append(relative)
        else:
            texts = {kind.file_name: yamlio.render(file_data(kind, mine))} if mine else {}
            if not mine and (data_dir / kind.file_name).exists():
                (data_dir / kind.file_name).unlink()
                removed.append(kind.file_name)
        for relative, text in texts.items():
            path = data_dir / relative
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                unchanged += 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(relative)
    plan = Plan(remember={path: (bundle, bundle.digest()) for path, bundle in bundles.items()})
    remember(plan, forgotten=[path for path in stored_hashes() if path not in bundles])
    return written, removed, unchanged
