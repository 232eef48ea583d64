"""The manifests the nightly DAG runs: ``airflow-dags/registered_manifests.yaml``.

Format::

    manifests:
      - name: demo                      # used in the task id and the run id (nightly-<name>-<ds_nodash>)
        manifest: manifests/demo.yaml   # absolute, or relative to the Rehearsal home
        salt_file: conf/demo-salt.txt   # optional; default: Variable rehearsal_salt_file, ...
        lake: ...                       # optional; default: Variable rehearsal_lake, ...
        warehouse: ...                  # optional; default: Variable rehearsal_warehouse, ...

The file is read when the DAG file is parsed (it is a file beside the DAGs, not a Variable or the database);
``REHEARSAL_REGISTERED_MANIFESTS`` names another file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from rehearsal_dags.run_ids import sanitize

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "registered_manifests.yaml"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class RegisteredManifest:
    name: str
    manifest: str
    salt_file: str | None = None
    lake: str | None = None
    warehouse: str | None = None

    @property
    def task_id(self) -> str:
        return f"run_{self.name}"

    @property
    def run_id_template(self) -> str:
        """``nightly-<name>-{{ ds_nodash }}``: the DAG run's logical date, never the wall clock."""
        return f"nightly-{sanitize(self.name)}-{{{{ ds_nodash }}}}"


def registered_manifests(path: str | os.PathLike[str] | None = None) -> list[RegisteredManifest]:
    """The registered manifests; raises ValueError naming the file and entry when one is malformed."""
    file = Path(path or os.environ.get("REHEARSAL_REGISTERED_MANIFESTS") or DEFAULT_FILE)
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    entries = data.get("manifests") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{file}: expected a top-level 'manifests:' list")
    result: list[RegisteredManifest] = []
    for i, entry in enumerate(entries):
        where = f"{file}: manifests[{i}]"
        if not isinstance(entry, dict) or not entry.get("manifest"):
            raise ValueError(f"{where}: each entry needs at least 'manifest' (a path)")
        unknown = set(entry) - {"name", "manifest", "salt_file", "lake", "warehouse"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        name = str(entry.get("name") or Path(str(entry["manifest"])).stem)
        if not _NAME.match(name):
            raise ValueError(f"{where}: name {name!r} must be 1-64 letters, digits, '_' or '-'")
        if any(r.name == name for r in result):
            raise ValueError(f"{where}: name {name!r} is registered twice")
        result.append(
            RegisteredManifest(
                name=name,
                manifest=str(entry["manifest"]),
                salt_file=entry.get("salt_file"),
                lake=entry.get("lake"),
                warehouse=entry.get("warehouse"),
            )
        )
    return result
