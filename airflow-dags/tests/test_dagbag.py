"""DagBag import: no import errors, both DAGs, tags everywhere, retries on every task."""

from __future__ import annotations

from datetime import timedelta

DAG_IDS = {"rehearsal_pr_validation", "rehearsal_nightly"}


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_both_dags_present(dagbag):
    assert DAG_IDS <= set(dagbag.dag_ids)


def test_every_dag_has_tags(dagbag):
    for dag_id in DAG_IDS:
        assert dagbag.get_dag(dag_id).tags, dag_id


def test_every_task_retries(dagbag):
    for dag_id in DAG_IDS:
        dag = dagbag.get_dag(dag_id)
        assert dag.tasks, dag_id
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag_id}.{task.task_id} has retries={task.retries}"
            assert task.retry_delay >= timedelta(seconds=1), f"{dag_id}.{task.task_id}"


def test_schedules(dagbag):
    pr = dagbag.get_dag("rehearsal_pr_validation")
    nightly = dagbag.get_dag("rehearsal_nightly")
    assert pr.schedule is None  # triggered, with conf
    assert nightly.schedule == "@daily"
    assert nightly.catchup is False
