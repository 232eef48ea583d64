"""dag.test() of the PR DAG where the outcome is decided without Spark.

The conf check runs the real DAG against the real manifest. The verdict paths run it against a stand-in for
bin/rehearsal (REHEARSAL_HOME pointing at a folder whose bin/rehearsal follows the launcher's documented
contract: exit codes, last line of stdout is the JSON, Spark may still log to stderr after it), so that each
outcome takes seconds, not a Spark run. The real launcher, and a real FAIL that fails the DAG run, are
exercised by test_e2e.py (manifests/e2e.yaml).
"""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import REPO, task_states, xcom

STEP_TASKS = ["validate", "plan", "snapshot", "backfill", "parity", "evaluate", "simulate", "drift", "gate"]

STUB = r"""#!/usr/bin/env bash
[[ -n "${STUB_ARGS_LOG:-}" ]] && echo "$*" >> "$STUB_ARGS_LOG"
step="" run_id=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --step) step="$2"; shift 2 ;;
    --run-id) run_id="$2"; shift 2 ;;
    *) shift ;;
  esac
done
echo "$step" >> "$STUB_LOG"
echo "stub: run $run_id, step $step"
verdict=null code=0 record=null
case "$step" in
  gate|record|report|teardown)
    verdict="\"$STUB_VERDICT\""
    [[ "$STUB_VERDICT" == FAIL ]] && code=3 ;;
esac
[[ "$step" == record || "$step" == report || "$step" == teardown ]] && record="\"/w/runs/$run_id/record.json\""
echo "{\"record\":$record,\"report\":null,\"run_id\":\"$run_id\",\"status\":\"ok\",\"verdict\":$verdict}"
echo "stub: a Spark shutdown log line on stderr, after the JSON" >&2
exit $code
"""


@pytest.fixture
def stub_log(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    launcher = home / "bin" / "rehearsal"
    launcher.write_text(STUB)
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "steps.log"
    monkeypatch.setenv("REHEARSAL_HOME", str(home))
    monkeypatch.setenv("STUB_LOG", str(log))
    monkeypatch.setenv("REHEARSAL_COMMAND_PREFIX", "")  # the stand-in runs no Spark: no lock needed
    return log


def conf(candidate="covis-5-v2", **extra):
    return {"manifest": str(REPO / "manifests" / "demo.yaml"), "candidate": candidate, "pr_id": "t1",
            "lake": "/nonexistent/lake", "warehouse": "/nonexistent/warehouse", **extra}


def test_candidate_mismatch_stops_the_run_before_any_step(pr_dag, stub_log):
    dr = pr_dag.test(run_conf=conf(candidate="covis-9-v9"))
    states = task_states(dr)
    assert str(dr.state.value if hasattr(dr.state, "value") else dr.state) == "failed"
    assert states["check_candidate"] == "failed"
    for step in STEP_TASKS:
        assert states[step] == "upstream_failed", step
    assert states["record"] == "skipped"  # the gate reached no verdict
    assert states["verdict"] == "upstream_failed"
    assert not stub_log.exists()  # the launcher never ran


def test_fail_verdict_fails_the_gate_and_still_records(pr_dag, stub_log, monkeypatch):
    monkeypatch.setenv("STUB_VERDICT", "FAIL")
    # The tests run without retries (conftest); give the gate the production retry (1 s apart) to show that a
    # FAIL verdict is not retried all the same.
    gate_task = pr_dag.get_task("gate")
    monkeypatch.setattr(gate_task, "retries", 1)
    monkeypatch.setattr(gate_task, "retry_delay", timedelta(seconds=1))
    dr = pr_dag.test(run_conf=conf())
    states = task_states(dr)
    assert str(dr.state.value if hasattr(dr.state, "value") else dr.state) == "failed"
    assert all(states[s] == "success" for s in STEP_TASKS[:-1]), states
    assert states["gate"] == "failed"
    assert states["record"] == states["report"] == states["teardown"] == "success"
    assert states["verdict"] == "upstream_failed"
    # The gate pushed the launcher's JSON before failing (its last stdout line, despite the stderr line after it).
    gate = xcom(dr, "gate")
    run_id = xcom(dr, "check_candidate")["run_id"]
    assert gate == {"record": None, "report": None, "run_id": run_id, "status": "ok", "verdict": "FAIL"}
    assert xcom(dr, "teardown")["record"] == f"/w/runs/{run_id}/record.json"
    steps = stub_log.read_text().split()
    assert steps.count("gate") == 1  # a FAIL verdict is not retried
    assert steps[:3] == ["validate", "plan", "snapshot"] and steps[-3:] == ["record", "report", "teardown"]


def test_inconclusive_verdict_passes(pr_dag, stub_log, monkeypatch):
    monkeypatch.setenv("STUB_VERDICT", "INCONCLUSIVE")
    dr = pr_dag.test(run_conf=conf(pr_id="feature/x y"))
    states = task_states(dr)
    assert str(dr.state.value if hasattr(dr.state, "value") else dr.state) == "success", states
    assert set(states.values()) == {"success"}
    run_id = xcom(dr, "check_candidate")["run_id"]
    assert run_id.startswith("pr-feature-x-y-")
    assert xcom(dr, "gate")["verdict"] == "INCONCLUSIVE"
    assert xcom(dr, "verdict")["verdict"] == "INCONCLUSIVE"
    assert json.loads(json.dumps(xcom(dr, "verdict")))["run_id"] == run_id


def test_cluster_options_and_object_store_uris_reach_the_launcher(pr_dag, stub_log, monkeypatch, tmp_path):
    """REHEARSAL_LAUNCHER_ARGS go before the subcommand; s3a:// lake and warehouse pass through unchanged."""
    args_log = tmp_path / "args.log"
    monkeypatch.setenv("STUB_ARGS_LOG", str(args_log))
    monkeypatch.setenv("STUB_VERDICT", "PASS")
    monkeypatch.setenv("REHEARSAL_LAUNCHER_ARGS", "--profile s3 --master yarn --deploy-mode client")
    dr = pr_dag.test(run_conf=conf(lake="s3a://bucket/lake", warehouse="s3a://bucket/rehearsal"))
    assert str(dr.state.value if hasattr(dr.state, "value") else dr.state) == "success", task_states(dr)
    run_id = xcom(dr, "check_candidate")["run_id"]
    lines = args_log.read_text().splitlines()
    assert len(lines) == len(STEP_TASKS) + 3, lines  # every step, record, report and teardown
    manifest = REPO / "manifests" / "demo.yaml"
    assert lines[0] == (f"--profile s3 --master yarn --deploy-mode client run {manifest} --lake s3a://bucket/lake "
                        f"--warehouse s3a://bucket/rehearsal --run-id {run_id} --step validate")
