"""Shared fixtures. Run through bin/test-airflow, which makes the venv, AIRFLOW_HOME and the metadata DB."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DAGS_FOLDER = Path(__file__).resolve().parents[1]
REPO = DAGS_FOLDER.parent
sys.path.insert(0, str(DAGS_FOLDER))

if not os.environ.get("AIRFLOW_HOME"):
    pytest.exit("AIRFLOW_HOME is not set: run the tests with bin/test-airflow (it prepares Airflow's metadata DB)", 2)

# Every bin/rehearsal call of the tests (and of the DAG tasks they run) takes the machine-wide lock that the
# Maven and Spark builds take, so that two Spark jobs never share this 2-core machine. An explicitly empty
# REHEARSAL_COMMAND_PREFIX turns that off.
os.environ.setdefault("REHEARSAL_COMMAND_PREFIX", "flock /tmp/rehearsal-mvn.lock")

# Tests fail fast: no retries (a task that fails fails its test at once, instead of dag.test() waiting out the
# production retry delay of 5 minutes and running the failing spark-submit again), and a delay of a second for
# a test that turns retries on. Read when the DAG files are parsed (rehearsal_dags.settings.retry_policy);
# bin/test-airflow sets the same.
os.environ.setdefault("REHEARSAL_AIRFLOW_RETRIES", "0")
os.environ.setdefault("REHEARSAL_AIRFLOW_RETRY_DELAY_SECONDS", "1")


def command_prefix() -> list[str]:
    return shlex.split(os.environ.get("REHEARSAL_COMMAND_PREFIX", ""))


def rehearsal(*args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """``bin/rehearsal ARGS`` with the command prefix; stdout captured, stderr shown. No timeout by default:
    the prefix may wait a long time for the lock."""
    return subprocess.run(
        [*command_prefix(), str(REPO / "bin" / "rehearsal"), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture(scope="session")
def pr_dag(dagbag):
    dag = dagbag.get_dag("rehearsal_pr_validation")
    assert dag is not None, dagbag.import_errors
    return dag


def task_states(dag_run) -> dict[str, str]:
    return {ti.task_id: str(ti.state.value if hasattr(ti.state, "value") else ti.state) for ti in dag_run.get_task_instances()}


def xcom(dag_run, task_id: str, key: str = "return_value"):
    """The XCom a task of a finished DAG run pushed (None when it pushed none)."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = session.scalars(
            XComModel.get_many(run_id=dag_run.run_id, dag_ids=dag_run.dag_id, task_ids=task_id, key=key)
        ).first()
        return None if row is None else XComModel.deserialize_value(row)
