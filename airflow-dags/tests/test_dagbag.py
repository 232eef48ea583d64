"""DagBag import: no import errors, both DAGs, tags everywhere, the retry policy on every task."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import DAGS_FOLDER

from rehearsal_dags import settings

DAG_IDS = {"rehearsal_pr_validation", "rehearsal_nightly"}


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_both_dags_present(dagbag):
    assert DAG_IDS <= set(dagbag.dag_ids)


def test_every_dag_has_tags(dagbag):
    for dag_id in DAG_IDS:
        assert dagbag.get_dag(dag_id).tags, dag_id


def assert_retry_policy(dagbag, retries: int, retry_delay: timedelta) -> None:
    for dag_id in DAG_IDS:
        dag = dagbag.get_dag(dag_id)
        assert dag.tasks, dag_id
        for task in dag.tasks:
            where = f"{dag_id}.{task.task_id}"
            assert (task.retries, task.retry_delay) == (retries, retry_delay), where
            assert task.execution_timeout == timedelta(hours=4), where


def test_every_task_has_the_configured_retry_policy(dagbag):
    # Here the tests' own policy (bin/test-airflow, conftest: 0 retries, 1 s), so a failing task fails its test at once.
    assert_retry_policy(dagbag, *settings.retry_policy())


def test_production_retry_policy(monkeypatch):
    """Without the environment variables (a deployment that sets neither): one retry, 5 minutes later."""
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.delenv(settings.RETRIES_ENV)
    monkeypatch.delenv(settings.RETRY_DELAY_ENV)
    production = DagBag(dag_folder=str(DAGS_FOLDER))
    assert production.import_errors == {}
    assert_retry_policy(production, 1, timedelta(minutes=5))


def test_retry_policy_from_the_environment(monkeypatch):
    assert settings.retry_policy({}) == (1, timedelta(minutes=5))
    assert settings.retry_policy({settings.RETRIES_ENV: "", settings.RETRY_DELAY_ENV: " "}) == (1, timedelta(minutes=5))
    assert settings.retry_policy({settings.RETRIES_ENV: "3", settings.RETRY_DELAY_ENV: "30"}) == (3, timedelta(seconds=30))
    for bad in ("-1", "two", "1.5"):
        with pytest.raises(ValueError, match=f"REHEARSAL_AIRFLOW_RETRIES='{re.escape(bad)}': expected a whole number"):
            settings.retry_policy({settings.RETRIES_ENV: bad})
    # A bad value is an import error of the DAG files, not a silently different policy.
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv(settings.RETRY_DELAY_ENV, "5m")
    broken = DagBag(dag_folder=str(DAGS_FOLDER))
    assert len(broken.import_errors) == 2, broken.import_errors
    assert all("REHEARSAL_AIRFLOW_RETRY_DELAY_SECONDS='5m'" in e for e in broken.import_errors.values())


def test_schedules(dagbag):
    pr = dagbag.get_dag("rehearsal_pr_validation")
    nightly = dagbag.get_dag("rehearsal_nightly")
    assert pr.schedule is None  # triggered, with conf
    assert nightly.schedule == "@daily"
    assert nightly.catchup is False


def test_pr_runs_at_once_are_bounded(monkeypatch):
    """At most 4 PR validations run at once unless REHEARSAL_PR_MAX_ACTIVE_RUNS says otherwise; the nightly DAG one."""
    from airflow.dag_processing.dagbag import DagBag

    assert settings.pr_max_active_runs({}) == 4
    assert settings.pr_max_active_runs({settings.PR_MAX_ACTIVE_RUNS_ENV: " "}) == 4
    assert settings.pr_max_active_runs({settings.PR_MAX_ACTIVE_RUNS_ENV: "2"}) == 2
    for bad in ("0", "-1", "many"):
        with pytest.raises(ValueError, match=f"REHEARSAL_PR_MAX_ACTIVE_RUNS='{re.escape(bad)}': expected a whole number >= 1 "):
            settings.pr_max_active_runs({settings.PR_MAX_ACTIVE_RUNS_ENV: bad})
    monkeypatch.setenv(settings.PR_MAX_ACTIVE_RUNS_ENV, "2")
    dags = DagBag(dag_folder=str(DAGS_FOLDER))
    assert dags.import_errors == {}
    assert dags.get_dag("rehearsal_pr_validation").max_active_runs == 2
    assert dags.get_dag("rehearsal_nightly").max_active_runs == 1
