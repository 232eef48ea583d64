"""
### rehearsal_pr_validation

Validates the candidate model a pull request proposes: one Rehearsal run of the PR's manifest, one task per
step (`bin/rehearsal run … --step STEP`), so a failure shows at the step where it happened.

Trigger with conf `{"manifest": "manifests/demo.yaml", "candidate": "covis-5-v2", "pr_id": "123"}`
(optional `lake`, `warehouse`; paths relative to the Rehearsal home). `check_candidate` first checks that the
manifest's `models.candidate.version` is `candidate`. Run id: `pr-<pr_id>-<ts_nodash>`.

The `gate` task fails on a FAIL verdict (exit 3); `record`, `report` and `teardown` still run so the record and
the report exist, and the final `verdict` task (upstream failed) marks the DAG run failed. See airflow-dags/README.md.
"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, TriggerRule

from rehearsal_dags import STEP_NEEDS, STEPS, TAGS, default_args
from rehearsal_dags.checks import CHECK_TASK_ID, VERDICT_TASK_ID, check_candidate_task, from_check, verdict_task
from rehearsal_dags.commands import RehearsalOperator
from rehearsal_dags.settings import pr_max_active_runs

with DAG(
    dag_id="rehearsal_pr_validation",
    description="Rehearsal run of a PR's manifest and candidate model, one task per step",
    schedule=None,
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=pr_max_active_runs(),
    default_args=default_args(),
    tags=[*TAGS, "pr-validation"],
    doc_md=__doc__,
) as dag:
    check = PythonOperator(task_id=CHECK_TASK_ID, python_callable=check_candidate_task)

    steps = {
        step: RehearsalOperator(
            task_id=step,
            step=step,
            manifest=from_check("manifest"),
            run_id=from_check("run_id"),
            lake=from_check("lake"),
            warehouse=from_check("warehouse"),
            # Only the gate fails on a FAIL verdict; the steps after it still write the record and the report.
            fail_on_verdict=step == "gate",
            # record runs once the gate is done, passed or failed, as long as the gate reached a verdict.
            trigger_rule=TriggerRule.ALL_DONE if step == "record" else TriggerRule.ALL_SUCCESS,
            requires_verdict_from="gate" if step == "record" else None,
        )
        for step in STEPS
    }

    verdict = PythonOperator(task_id=VERDICT_TASK_ID, python_callable=verdict_task)

    check >> steps["validate"]
    for step, needs in STEP_NEEDS.items():
        for need in needs:
            steps[need] >> steps[step]
    [steps["gate"], steps["teardown"]] >> verdict
