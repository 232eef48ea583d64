"""Shared helpers of the Rehearsal DAGs (``rehearsal_pr_validation``, ``rehearsal_nightly``).

The DAG files only construct operators; everything else lives here:

- :mod:`rehearsal_dags.settings`  where Rehearsal is and which lake/warehouse/salt a run uses
  (DAG run conf, then Airflow Variables, then environment variables, then documented defaults), and the
  tasks' retry policy (environment, read when the DAG files are parsed);
- :mod:`rehearsal_dags.run_ids`   run-id sanitizing and the PR / nightly run ids;
- :mod:`rehearsal_dags.commands`  the ``bin/rehearsal`` command line and :class:`RehearsalOperator`
  (a ``BashOperator`` that maps the launcher's exit codes onto Airflow task outcomes);
- :mod:`rehearsal_dags.checks`    the PR DAG's conf check and final verdict task;
- :mod:`rehearsal_dags.manifests` the registered manifests of the nightly DAG.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rehearsal_dags.settings import retry_policy

#: The steps of ``bin/rehearsal run --step``, in order.
STEPS = (
    "validate",
    "plan",
    "snapshot",
    "backfill",
    "parity",
    "evaluate",
    "simulate",
    "drift",
    "gate",
    "record",
    "report",
    "teardown",
)

#: For each step, the steps whose outputs it reads (docs/run.md, "Lifecycle").
STEP_NEEDS = {
    "validate": (),
    "plan": ("validate",),
    "snapshot": ("plan",),
    "backfill": ("snapshot",),
    "parity": ("backfill",),
    "evaluate": ("snapshot",),
    "simulate": ("snapshot",),
    "drift": ("snapshot",),
    "gate": ("parity", "evaluate", "simulate", "drift"),
    "record": ("gate",),
    "report": ("record",),
    "teardown": ("report",),
}


def default_args() -> dict[str, Any]:
    """default_args of both DAGs, called while a DAG file is parsed. A runtime failure (exit 1) is retried
    (:func:`rehearsal_dags.settings.retry_policy`: once, 5 minutes later, unless ``REHEARSAL_AIRFLOW_RETRIES`` /
    ``REHEARSAL_AIRFLOW_RETRY_DELAY_SECONDS`` say otherwise); invalid input (exit 2) and a FAIL verdict (exit 3)
    are never retried: the same inputs give the same answer."""
    retries, retry_delay = retry_policy()
    return {
        "owner": "rehearsal",
        "depends_on_past": False,
        "retries": retries,
        "retry_delay": retry_delay,
        "execution_timeout": timedelta(hours=4),
    }

TAGS = ["rehearsal", "spark"]
