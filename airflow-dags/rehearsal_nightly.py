"""
### rehearsal_nightly

Every day, one whole Rehearsal run (`bin/rehearsal run MANIFEST`, every step) of each manifest registered in
`airflow-dags/registered_manifests.yaml` (the demo manifest by default), with run id
`nightly-<name>-<ds_nodash>` (the logical date, never the wall clock: a retry or a clear resumes the same run).
A FAIL verdict (exit 3) fails the manifest's task; the record and the report are written either way.
See airflow-dags/README.md.
"""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG

from rehearsal_dags import TAGS, default_args
from rehearsal_dags.commands import RehearsalOperator
from rehearsal_dags.manifests import registered_manifests

with DAG(
    dag_id="rehearsal_nightly",
    description="Nightly Rehearsal run of every registered manifest",
    schedule="@daily",
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=[*TAGS, "nightly"],
    doc_md=__doc__,
) as dag:
    for registered in registered_manifests():
        RehearsalOperator(
            task_id=registered.task_id,
            manifest=registered.manifest,
            run_id=registered.run_id_template,
            lake=registered.lake,
            warehouse=registered.warehouse,
            salt_file=registered.salt_file,
        )
