"""End to end: the PR DAG with dag.test() on the trimmed end-to-end manifest (manifests/e2e.yaml) against the
seed-42 scale-1 demo lake, in local Spark mode — the real DAG, the real bin/rehearsal, one spark-submit per step
— compared with the CLI's one-shot run of the same manifest on the same lake.

That manifest's verdict is FAIL (first-time buyers are sampled whole, and the candidate loses on them), so this
is the test that the gate fails the DAG run on a FAIL verdict for real: the steps before the gate succeed, the
gate fails, record, report and teardown still write the record and the report, the final verdict task is
upstream_failed and the DAG run failed.

bin/test passes REHEARSAL_E2E_DEMO: the folder where Maven's LauncherIT left its one-shot run of
manifests/e2e.yaml (files run-id, lake — the absolute path of the lake it used — and
warehouse/runs/<run id>/record.json), so the test command runs that manifest through the CLI once, not twice.
Without it, this test generates the lake (bin/rehearsal generate --seed 42 --scale 1) and makes the CLI run
itself. Slow (on 2 cores about 9 minutes for the DAG run, one spark-submit per step, and 5 more for the lake and
the CLI run when the test makes them): marked e2e (deselect with -m "not e2e").
bin/rehearsal builds the application jar if it is missing or stale (REHEARSAL_JAR names a prebuilt one; the DAG
tasks pass the environment on).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import yaml
from conftest import REPO, rehearsal, task_states, xcom

pytestmark = pytest.mark.e2e

MANIFEST = "manifests/e2e.yaml"
SALT_FILE = REPO / "conf" / "demo-salt.txt"
#: The verdict of manifests/e2e.yaml on the seed-42 scale-1 demo lake.
EXPECTED_VERDICT = "FAIL"
#: The PR DAG's task states after a FAIL verdict (airflow-dags/README.md): every step before the gate done, the
#: gate failed (exit 3, not retried), record (trigger rule all_done, the gate reached a verdict), report and
#: teardown done (exit 3 is done for them), the final verdict task upstream_failed.
EXPECTED_STATES = {
    "check_candidate": "success",
    **{step: "success" for step in ("validate", "plan", "snapshot", "backfill", "parity", "evaluate", "simulate", "drift")},
    "gate": "failed",
    "record": "success",
    "report": "success",
    "teardown": "success",
    "verdict": "upstream_failed",
}


def state(value) -> str:
    return str(value.value if hasattr(value, "value") else value)


def result_body(record: dict) -> dict:
    """The body of a record's result entry (record.json and `show --json` hold the same entries)."""
    results = [e for e in record["entries"] if e["kind"] == "result"]
    assert len(results) == 1, [e["kind"] for e in record["entries"]]
    return results[0]["body"]


def result_verdict(record: dict) -> str:
    return result_body(record)["verdict"]


def segment_verdicts(record: dict) -> dict[str, str]:
    return {s["segment"]: s["verdict"] for s in result_body(record)["segments"]}


def manifest_sha256(record: dict) -> str:
    """The sha256 of the manifest a run was planned with (its plan entry)."""
    (plan,) = [e["body"] for e in record["entries"] if e["kind"] == "plan"]
    return plan["manifest"]["sha256"]


def json_document(stdout: str) -> dict:
    """The JSON object a command printed (from its first line that opens one)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("{"))
    return json.loads("\n".join(lines[start:]))


def output_hashes(record: dict) -> dict[str, str]:
    """Each output table of a record's result (relative to its run) with its content hash."""
    return {t["table"]: t["content_hash"] for t in result_body(record)["outputs"]}


@pytest.fixture(scope="module")
def cli_e2e_run(tmp_path_factory) -> tuple[Path, dict]:
    """(lake, record.json of the CLI's one-shot run of manifests/e2e.yaml on it)."""
    shared = os.environ.get("REHEARSAL_E2E_DEMO")
    if shared:
        folder = Path(shared)
        run_id = (folder / "run-id").read_text().strip()
        lake = Path((folder / "lake").read_text().strip())
        record = folder / "warehouse" / "runs" / run_id / "record.json"
        assert lake.is_absolute() and (lake / "events").is_dir(), f"REHEARSAL_E2E_DEMO={shared}: no lake at {lake}"
        assert record.is_file(), f"REHEARSAL_E2E_DEMO={shared}: no {record}"
        print(f"CLI run {run_id} of {MANIFEST} from REHEARSAL_E2E_DEMO={shared}, lake {lake}")
        return lake, json.loads(record.read_text())
    folder = tmp_path_factory.mktemp("cli")
    lake, warehouse = folder / "lake", folder / "warehouse"
    started = time.monotonic()
    done = rehearsal("generate", "--seed", "42", "--scale", "1", "--out", str(lake))
    assert done.returncode == 0, done.stdout[-3000:]
    done = rehearsal("run", MANIFEST, "--lake", str(lake), "--warehouse", str(warehouse),
                     "--salt-file", str(SALT_FILE), "--run-id", "cli-e2e")
    # Exit 3 is a FAIL verdict (the expected one), 0 a PASS or INCONCLUSIVE: the test below names the verdict.
    assert done.returncode in (0, 3), done.stdout[-3000:]
    print(f"demo lake and CLI run made in {time.monotonic() - started:.0f} s (lock waits included)")
    return lake, json.loads((warehouse / "runs" / "cli-e2e" / "record.json").read_text())


def test_pr_validation_end_to_end_fails_the_dag_run_on_a_fail_verdict(pr_dag, cli_e2e_run, tmp_path, monkeypatch):
    lake, cli_record = cli_e2e_run
    warehouse = tmp_path / "warehouse"
    monkeypatch.setenv("REHEARSAL_SALT_FILE", str(SALT_FILE))
    manifest = yaml.safe_load((REPO / MANIFEST).read_text())
    candidate = manifest["models"]["candidate"]["version"]

    started = time.monotonic()
    dr = pr_dag.test(run_conf={"manifest": MANIFEST, "candidate": candidate, "pr_id": "e2e-42",
                               "lake": str(lake), "warehouse": str(warehouse)})
    print(f"dag.test() took {time.monotonic() - started:.0f} s (lock waits included)")

    # The gate failed the DAG run on the FAIL verdict; everything before it succeeded, everything after it is
    # as the DAG's design says. Each task ran once (the tests run without retries; a FAIL is never retried).
    states = task_states(dr)
    assert states == EXPECTED_STATES, states
    assert state(dr.state) == "failed"
    assert {ti.task_id: ti.try_number for ti in dr.get_task_instances() if ti.task_id != "verdict"} == {
        task_id: 1 for task_id in EXPECTED_STATES if task_id != "verdict"
    }

    checked = xcom(dr, "check_candidate")
    run_id = checked["run_id"]
    assert run_id.startswith("pr-e2e-42-")
    assert checked["manifest"] == str(REPO / MANIFEST) and checked["lake"] == str(lake)
    # The gate pushed the launcher's JSON (its verdict) before failing; the steps after it carry the same verdict.
    gate = xcom(dr, "gate")
    assert gate["run_id"] == run_id
    assert gate["verdict"] == EXPECTED_VERDICT, gate
    record_file = warehouse / "runs" / run_id / "record.json"
    assert xcom(dr, "record")["verdict"] == EXPECTED_VERDICT
    teardown = xcom(dr, "teardown")
    assert teardown["run_id"] == run_id and teardown["status"] == "completed", teardown
    assert teardown["verdict"] == EXPECTED_VERDICT
    assert Path(teardown["record"]) == record_file
    assert Path(teardown["report"]).is_file()
    assert (Path(teardown["report"]).parent / "summary.md").is_file()
    assert xcom(dr, "verdict") is None  # upstream_failed: never ran

    # The record exists and holds the verdict, as does the ledger (`show --json`).
    assert record_file.is_file()
    record = json.loads(record_file.read_text())
    assert record["run_id"] == run_id
    assert result_verdict(record) == EXPECTED_VERDICT
    # The reason the manifest gives for its FAIL: the candidate loses on first-time buyers, sampled whole.
    assert segment_verdicts(record)["first_time_buyers"] == "FAIL", segment_verdicts(record)
    shown = rehearsal("show", run_id, "--warehouse", str(warehouse), "--json")
    assert shown.returncode == 0, shown.stdout[-3000:]
    ledger = json_document(shown.stdout)
    assert ledger["run_id"] == run_id
    assert result_verdict(ledger) == EXPECTED_VERDICT

    # The same manifest on the same lake through the CLI in one shot: the same verdict, the same output tables.
    assert manifest_sha256(cli_record) == manifest_sha256(record), (
        f"the CLI run {cli_record['run_id']} was planned with another {MANIFEST} than the DAG run: the manifest "
        "changed in between (a stale REHEARSAL_E2E_DEMO?)")
    assert result_verdict(cli_record) == EXPECTED_VERDICT
    assert segment_verdicts(cli_record) == segment_verdicts(record)
    dag_hashes, cli_hashes = output_hashes(record), output_hashes(cli_record)
    assert len(dag_hashes) >= 20, sorted(dag_hashes)
    assert dag_hashes == cli_hashes
    print(f"run {run_id}: verdict {EXPECTED_VERDICT}, DAG run failed at the gate, "
          f"{len(dag_hashes)} output tables identical to the CLI run's")
