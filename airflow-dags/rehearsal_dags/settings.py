"""Where Rehearsal is installed and which lake, warehouse and salt file a run uses.

Each setting is resolved when a task runs (never while the DAG file is parsed), first match wins:

=================  ====================  =======================  ==============================  ===================================
setting            DAG run conf key      Airflow Variable         environment variable            default
=================  ====================  =======================  ==============================  ===================================
Rehearsal home     —                     ``rehearsal_home``       ``REHEARSAL_HOME``              the repository holding this folder
lake               ``lake``              ``rehearsal_lake``       ``REHEARSAL_LAKE``              ``<home>/demo-data/lake``
warehouse          ``warehouse``         ``rehearsal_warehouse``  ``REHEARSAL_WAREHOUSE``         ``<home>/demo-data/warehouse``
salt file          —                     ``rehearsal_salt_file``  ``REHEARSAL_SALT_FILE``         none: ``bin/rehearsal`` then uses
                                                                                                  ``REHEARSAL_PSEUDONYM_SALT(_FILE)``
=================  ====================  =======================  ==============================  ===================================

Relative paths (manifest, lake, warehouse, salt file) are relative to the Rehearsal home; a lake or warehouse
can also be a URI (``s3a://bucket/warehouse``: set the launcher options to ``--profile s3``, commands.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The repository this package ships in: ``<home>/airflow-dags/rehearsal_dags/settings.py``.
DEFAULT_HOME = Path(__file__).resolve().parents[2]

_NOT_FOUND = object()


def _variable(key: str) -> str | None:
    """An Airflow Variable, or None when it is not set (or when no task is running: tests, the CLI)."""
    from airflow.sdk import Variable
    from airflow.sdk.exceptions import AirflowRuntimeError

    try:
        value = Variable.get(key, default=None)
    except (AirflowRuntimeError, RuntimeError, ImportError):
        # Outside a running task there is no connection to the API server to ask.
        return None
    return value or None


def setting(conf: Mapping[str, Any] | None, conf_key: str | None, variable: str, env: str) -> str | None:
    if conf and conf_key and conf.get(conf_key):
        return str(conf[conf_key])
    return _variable(variable) or os.environ.get(env) or None


def rehearsal_home() -> Path:
    """The Rehearsal checkout or install whose ``bin/rehearsal`` the tasks run."""
    value = setting(None, None, "rehearsal_home", "REHEARSAL_HOME")
    return Path(value).expanduser().resolve() if value else DEFAULT_HOME


def resolve(path: str | os.PathLike[str], home: Path | None = None) -> Path:
    """An absolute path: relative ones are taken relative to the Rehearsal home."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (home or rehearsal_home()) / p


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def location(value: str | os.PathLike[str], home: Path | None = None) -> Path | str:
    """A lake or warehouse: a URI (``s3a://bucket/lake``, ``hdfs://…``) as given, a path as by :func:`resolve`."""
    if isinstance(value, str) and _URI.match(value):
        return value
    return resolve(value, home)


def lake(conf: Mapping[str, Any] | None = None) -> Path | str:
    home = rehearsal_home()
    value = setting(conf, "lake", "rehearsal_lake", "REHEARSAL_LAKE")
    return location(value, home) if value else home / "demo-data" / "lake"


def warehouse(conf: Mapping[str, Any] | None = None) -> Path | str:
    home = rehearsal_home()
    value = setting(conf, "warehouse", "rehearsal_warehouse", "REHEARSAL_WAREHOUSE")
    return location(value, home) if value else home / "demo-data" / "warehouse"


def salt_file(default: str | None = None) -> Path | None:
    """The salt file for ``--salt-file``; None leaves the salt to the worker's environment."""
    value = setting(None, None, "rehearsal_salt_file", "REHEARSAL_SALT_FILE") or default
    return resolve(value) if value else None
