"""The PR DAG has one task per step with the steps' prerequisites as dependencies; the nightly DAG one whole
run per registered manifest, keyed by the logical date."""

from __future__ import annotations

from rehearsal_dags.commands import RehearsalOperator
from rehearsal_dags.manifests import registered_manifests

STEPS = ["validate", "plan", "snapshot", "backfill", "parity", "evaluate", "simulate", "drift",
         "gate", "record", "report", "teardown"]

# docs/run.md, "Lifecycle": what each step reads; check_candidate comes first, verdict last.
EXPECTED_UPSTREAM = {
    "check_candidate": set(),
    "validate": {"check_candidate"},
    "plan": {"validate"},
    "snapshot": {"plan"},
    "backfill": {"snapshot"},
    "parity": {"backfill"},
    "evaluate": {"snapshot"},
    "simulate": {"snapshot"},
    "drift": {"snapshot"},
    "gate": {"parity", "evaluate", "simulate", "drift"},
    "record": {"gate"},
    "report": {"record"},
    "teardown": {"report"},
    "verdict": {"gate", "teardown"},
}


def test_one_task_per_step(pr_dag):
    assert set(pr_dag.task_ids) == set(EXPECTED_UPSTREAM)
    for step in STEPS:
        task = pr_dag.get_task(step)
        assert isinstance(task, RehearsalOperator), step
        assert task.step == step


def test_dependencies(pr_dag):
    for task_id, upstream in EXPECTED_UPSTREAM.items():
        assert set(pr_dag.get_task(task_id).upstream_task_ids) == upstream, task_id


def test_only_gate_fails_on_verdict(pr_dag):
    assert pr_dag.get_task("gate").fail_on_verdict is True
    for step in ("record", "report", "teardown"):
        assert pr_dag.get_task(step).fail_on_verdict is False, step
    # record runs after a gate that failed with a verdict, and only then.
    record = pr_dag.get_task("record")
    assert str(record.trigger_rule.value) == "all_done"
    assert record.requires_verdict_from == "gate"


def test_steps_share_the_checked_run_id(pr_dag):
    for step in STEPS:
        task = pr_dag.get_task(step)
        assert "check_candidate" in task.run_id and "run_id" in task.run_id, step


def test_nightly_runs_each_registered_manifest(dagbag):
    nightly = dagbag.get_dag("rehearsal_nightly")
    registered = registered_manifests()
    assert [r.name for r in registered] == ["demo"]
    assert set(nightly.task_ids) == {r.task_id for r in registered}
    for r in registered:
        task = nightly.get_task(r.task_id)
        assert isinstance(task, RehearsalOperator)
        assert task.step is None  # a whole run
        assert task.run_id == f"nightly-{r.name}-{{{{ ds_nodash }}}}"
        assert task.manifest == r.manifest
