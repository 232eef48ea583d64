"""Python tasks of the PR-validation DAG: the conf check before anything runs, the verdict after."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from airflow.sdk.exceptions import AirflowFailException

from rehearsal_dags import settings
from rehearsal_dags.run_ids import pr_run_id

REQUIRED_CONF = ("manifest", "candidate", "pr_id")
CHECK_TASK_ID = "check_candidate"
VERDICT_TASK_ID = "verdict"


def from_check(field: str) -> str:
    """A template for one field of the check task's XCom (run_id, manifest, lake, warehouse): the step tasks
    take them from there, so the run id and the paths are decided once per DAG run."""
    # `or {}`: a task that runs after a failed check (record, trigger rule all_done) must still render, then skip.
    return "{{ (ti.xcom_pull(task_ids='%s') or {}).get('%s', '') }}" % (CHECK_TASK_ID, field)


def manifest_candidate_version(manifest: Mapping[str, Any]) -> str | None:
    """``models.candidate.version`` of a parsed manifest, or None when it declares none."""
    models = manifest.get("models") if isinstance(manifest, Mapping) else None
    candidate = models.get("candidate") if isinstance(models, Mapping) else None
    version = candidate.get("version") if isinstance(candidate, Mapping) else None
    return None if version is None else str(version)


def check_pr_conf(conf: Mapping[str, Any] | None, dag_run: Any) -> dict[str, Any]:
    """Checks the DAG run conf of a PR validation and that the manifest's candidate is the PR's.

    The DAG does not change the manifest: the PR has to. So a manifest whose ``models.candidate.version`` is
    not ``conf.candidate`` would validate some other model; the run stops here, before anything is computed.
    Raises AirflowFailException (no retry: the same conf gives the same answer)."""
    conf = dict(conf or {})
    missing = [k for k in REQUIRED_CONF if conf.get(k) in (None, "")]
    if missing:
        raise AirflowFailException(
            f"the DAG run conf lacks {', '.join(missing)}: trigger with "
            '{"manifest": "manifests/demo.yaml", "candidate": "<model version>", "pr_id": "<PR number>"} '
            "(optional: lake, warehouse)"
        )
    manifest_path = settings.resolve(str(conf["manifest"]))
    try:
        text = manifest_path.read_text(encoding="utf-8")
    except OSError as e:
        raise AirflowFailException(f"cannot read the manifest {manifest_path}: {e.strerror or e}") from e
    try:
        manifest = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise AirflowFailException(f"the manifest {manifest_path} is not valid YAML: {e}") from e
    declared = manifest_candidate_version(manifest)
    wanted = str(conf["candidate"])
    if declared is None:
        raise AirflowFailException(
            f"the manifest {manifest_path} declares no models.candidate.version, so it cannot validate "
            f"candidate '{wanted}': add the candidate to the manifest in the PR"
        )
    if declared != wanted:
        raise AirflowFailException(
            f"candidate mismatch: the DAG run conf asks to validate candidate '{wanted}', but the manifest "
            f"{manifest_path} declares models.candidate.version '{declared}'. This DAG does not rewrite "
            f"manifests: set models.candidate.version to '{wanted}' in the PR's manifest, or trigger with "
            f"candidate '{declared}'"
        )
    try:
        run_id = pr_run_id(conf["pr_id"], dag_run)
    except ValueError as e:
        raise AirflowFailException(str(e)) from e
    return {
        "run_id": run_id,
        "manifest": str(manifest_path),
        "candidate": wanted,
        "pr_id": str(conf["pr_id"]),
        "lake": str(settings.lake(conf)),
        "warehouse": str(settings.warehouse(conf)),
    }


def check_candidate_task(**context: Any) -> dict[str, Any]:
    """The ``check_candidate`` task: :func:`check_pr_conf` on this DAG run."""
    dag_run = context["dag_run"]
    return check_pr_conf(dag_run.conf, dag_run)


def verdict_task(**context: Any) -> dict[str, Any]:
    """The final ``verdict`` task: runs only when the gate passed (PASS or INCONCLUSIVE) and every step after
    it finished; returns the run's JSON (run_id, status, verdict, record, report) as its XCom."""
    ti = context["ti"]
    result = ti.xcom_pull(task_ids="teardown") or ti.xcom_pull(task_ids="gate")
    if not isinstance(result, dict) or not result.get("verdict"):
        raise AirflowFailException(f"no verdict in the XCom of the gate and teardown tasks: {result!r}")
    print(f"Verdict of Rehearsal run {result.get('run_id')}: {result['verdict']}")
    print(f"Record: {result.get('record')}")
    print(f"Report: {result.get('report')}")
    return result
