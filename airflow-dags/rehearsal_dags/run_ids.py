"""Rehearsal run ids: 1-128 characters of letters, digits, '.', '_', '-', starting with a letter or digit."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

MAX_LENGTH = 128
_ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_DISALLOWED_RUN = re.compile(r"[^A-Za-z0-9._-]+")


def is_valid_run_id(run_id: str) -> bool:
    return bool(_ALLOWED.match(run_id))


def sanitize(raw: Any) -> str:
    """The run id closest to ``raw``: every run of other characters becomes one '-', leading punctuation is
    dropped and the result is cut to 128 characters. Raises ValueError when nothing usable is left."""
    text = _DISALLOWED_RUN.sub("-", str(raw)).lstrip("._-")[:MAX_LENGTH].rstrip("-")
    if not text:
        raise ValueError(f"cannot make a Rehearsal run id out of {raw!r}: it has no letter or digit")
    return text


def _stamp(dag_run: Any) -> str:
    """The DAG run's logical date (or, for runs without one, when it was due) as ``YYYYMMDDTHHMMSS``,
    like Airflow's ``ts_nodash``: the same for every task and every retry of one DAG run."""
    when: datetime | None = getattr(dag_run, "logical_date", None) or getattr(dag_run, "run_after", None)
    if when is None:
        raise ValueError(f"DAG run {getattr(dag_run, 'run_id', dag_run)!r} has neither a logical date nor run_after")
    return when.strftime("%Y%m%dT%H%M%S")


def _compose(prefix: str, middle: Any, suffix: str) -> str:
    """``<prefix>-<middle>-<suffix>`` with ``middle`` sanitized and shortened so that the suffix (the date that
    tells runs apart) always survives the 128-character limit."""
    room = MAX_LENGTH - len(prefix) - len(suffix) - 2
    body = sanitize(middle)[:room].rstrip("._-") or "x"
    return sanitize(f"{prefix}-{body}-{suffix}")


def pr_run_id(pr_id: Any, dag_run: Any) -> str:
    """``pr-<pr_id>-<ts_nodash>`` for the PR-validation DAG, sanitized."""
    if pr_id is None or str(pr_id).strip() == "":
        raise ValueError("the DAG run conf has no 'pr_id'")
    return _compose("pr", pr_id, _stamp(dag_run))


def nightly_run_id(manifest_name: str, ds_nodash: str) -> str:
    """``nightly-<manifest name>-<ds_nodash>`` for the nightly DAG, sanitized."""
    return _compose("nightly", manifest_name, ds_nodash)
