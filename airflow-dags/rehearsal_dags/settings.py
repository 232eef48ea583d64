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

The retry policy of every task (:func:`retry_policy`) is the exception: Airflow needs it when the DAG file is
parsed, so it comes from the environment of the process that parses the DAG files, never from an Airflow
Variable (reading Variables while parsing costs a metadata query per parse):

=========================================  =======  ===================================================
environment variable                       default  meaning
=========================================  =======  ===================================================
``REHEARSAL_AIRFLOW_RETRIES``              ``1``    retries of a task after a runtime failure (exit 1)
``REHEARSAL_AIRFLOW_RETRY_DELAY_SECONDS``  ``300``  seconds between a failure and its retry
``REHEARSAL_PR_MAX_ACTIVE_RUNS``           ``4``    PR DAG runs at once (each a Spark application per task)
=========================================  =======  ===================================================

The tests (bin/test-airflow) set 0 retries and a 1-second delay, so that a failing task fails its test at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import timedelta
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


#: Production retry policy: one retry of a runtime failure, 5 minutes later (a retry resumes the run after its
#: last finished step). Invalid input (exit 2) and a FAIL verdict (exit 3) are never retried.
DEFAULT_RETRIES = 1
DEFAULT_RETRY_DELAY = timedelta(minutes=5)
RETRIES_ENV = "REHEARSAL_AIRFLOW_RETRIES"
RETRY_DELAY_ENV = "REHEARSAL_AIRFLOW_RETRY_DELAY_SECONDS"


def _non_negative_int(environ: Mapping[str, str], name: str) -> int | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError(f"{name}={raw!r}: expected a whole number >= 0")
    return value


#: PR validations at once: each is a chain of spark-submits on the workers, and all append to one ledger (which
#: concurrent runs keep as one chain: KillAndResumeIT). More waiting PR runs queue instead of starving each other.
DEFAULT_PR_MAX_ACTIVE_RUNS = 4
PR_MAX_ACTIVE_RUNS_ENV = "REHEARSAL_PR_MAX_ACTIVE_RUNS"


def pr_max_active_runs(environ: Mapping[str, str] | None = None) -> int:
    """``max_active_runs`` of the PR DAG: ``REHEARSAL_PR_MAX_ACTIVE_RUNS`` when set (and not empty), else 4. Read when
    the DAG file is parsed; raises ValueError naming the variable when the value is not a number >= 1."""
    env = os.environ if environ is None else environ
    raw = env.get(PR_MAX_ACTIVE_RUNS_ENV, "").strip()
    if not raw:
        return DEFAULT_PR_MAX_ACTIVE_RUNS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{PR_MAX_ACTIVE_RUNS_ENV}={raw!r}: expected a whole number >= 1 (0 would never start a run)")
    return int(raw)


def retry_policy(environ: Mapping[str, str] | None = None) -> tuple[int, timedelta]:
    """``(retries, retry_delay)`` of every Rehearsal task: ``REHEARSAL_AIRFLOW_RETRIES`` and
    ``REHEARSAL_AIRFLOW_RETRY_DELAY_SECONDS`` when set (and not empty), else 1 retry 5 minutes later.
    Read when a DAG file is parsed; raises ValueError naming the variable when a value is not a number >= 0
    (the DAG then shows an import error instead of running with a policy nobody asked for)."""
    env = os.environ if environ is None else environ
    retries = _non_negative_int(env, RETRIES_ENV)
    delay = _non_negative_int(env, RETRY_DELAY_ENV)
    return (
        DEFAULT_RETRIES if retries is None else retries,
        DEFAULT_RETRY_DELAY if delay is None else timedelta(seconds=delay),
    )
