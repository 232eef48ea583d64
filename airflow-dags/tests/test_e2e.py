"""End to end: the PR DAG with dag.test() against a scale-1 demo lake, in local Spark mode, compared with the
CLI's run of the same manifest on the same lake.

bin/test passes REHEARSAL_E2E_DEMO: the folder where Maven's LauncherIT left its demo run (lake/, warehouse/,
run-id), so the test command makes one demo run, not two. Without it, this test generates a lake and makes the
CLI run itself. Slow (about 6-10 minutes on 2 cores: one spark-submit per step): marked e2e (deselect with
-m "not e2e"). bin/rehearsal builds the application jar if it is missing (REHEARSAL_JAR names a prebuilt one).
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


def result_verdict(record: dict) -> str:
    """The verdict of a record's result entry (record.json and `show --json` hold the same entries)."""
    results = [e for e in record["entries"] if e["kind"] == "result"]
    assert len(results) == 1, [e["kind"] for e in record["entries"]]
    return results[0]["body"]["verdict"]


def json_document(stdout: str) -> dict:
    """The JSON object a command printed (from its first line that opens one)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("{"))
    return json.loads("\n".join(lines[start:]))


def output_hashes(record: dict) -> dict[str, str]:
    """Each output table of a record's result (relative to its run) with its content hash."""
    (result,) = [e["body"] for e in record["entries"] if e["kind"] == "result"]
    return {t["table"]: t["content_hash"] for t in result["outputs"]}


@pytest.fixture(scope="module")
def cli_demo_run(tmp_path_factory) -> tuple[Path, dict]:
    """(lake, record.json of the CLI's run of manifests/demo.yaml on it)."""
    shared = os.environ.get("REHEARSAL_E2E_DEMO")
    if shared:
        folder = Path(shared)
        run_id = (folder / "run-id").read_text().strip()
        lake, record = folder / "lake", folder / "warehouse" / "runs" / run_id / "record.json"
        assert record.is_file(), f"REHEARSAL_E2E_DEMO={shared}: no {record}"
        return lake, json.loads(record.read_text())
    folder = tmp_path_factory.mktemp("cli")
    lake, warehouse = folder / "lake", folder / "warehouse"
    started = time.monotonic()
    done = rehearsal("generate", "--seed", "42", "--scale", "1", "--out", str(lake))
    assert done.returncode == 0, done.stdout[-3000:]
    done = rehearsal("run", "manifests/demo.yaml", "--lake", str(lake), "--warehouse", str(warehouse),
                     "--salt-file", str(REPO / "conf" / "demo-salt.txt"), "--run-id", "cli-demo")
    assert done.returncode == 0, done.stdout[-3000:]
    print(f"demo lake and CLI run made in {time.monotonic() - started:.0f} s (lock wait included)")
    return lake, json.loads((warehouse / "runs" / "cli-demo" / "record.json").read_text())


def test_pr_validation_end_to_end(pr_dag, cli_demo_run, tmp_path, monkeypatch):
    demo_lake, cli_record = cli_demo_run
    warehouse = tmp_path / "warehouse"
    monkeypatch.setenv("REHEARSAL_SALT_FILE", str(REPO / "conf" / "demo-salt.txt"))
    manifest = yaml.safe_load((REPO / "manifests" / "demo.yaml").read_text())
    candidate = manifest["models"]["candidate"]["version"]

    started = time.monotonic()
    dr = pr_dag.test(run_conf={"manifest": "manifests/demo.yaml", "candidate": candidate, "pr_id": "e2e-42",
                               "lake": str(demo_lake), "warehouse": str(warehouse)})
    print(f"dag.test() took {time.monotonic() - started:.0f} s (lock waits included)")

    states = task_states(dr)
    assert set(states.values()) == {"success"}, states
    assert str(dr.state.value if hasattr(dr.state, "value") else dr.state) == "success"

    run_id = xcom(dr, "check_candidate")["run_id"]
    assert run_id.startswith("pr-e2e-42-")
    record_file = warehouse / "runs" / run_id / "record.json"
    assert record_file.is_file()
    record = json.loads(record_file.read_text())

    gate = xcom(dr, "gate")
    assert gate["run_id"] == run_id
    assert gate["verdict"] in ("PASS", "INCONCLUSIVE"), gate  # scale 1: INCONCLUSIVE, and the DAG run succeeds
    teardown = xcom(dr, "teardown")
    assert teardown["verdict"] == gate["verdict"]
    assert Path(teardown["record"]) == record_file
    assert Path(teardown["report"]).is_file()
    assert xcom(dr, "verdict") == teardown

    shown = rehearsal("show", run_id, "--warehouse", str(warehouse), "--json")
    assert shown.returncode == 0, shown.stdout[-3000:]
    ledger = json_document(shown.stdout)
    assert ledger["run_id"] == run_id
    assert result_verdict(ledger) == gate["verdict"] == result_verdict(record)

    # The same manifest on the same lake through the CLI: the same verdict and the same output tables.
    assert gate["verdict"] == result_verdict(cli_record)
    dag_hashes, cli_hashes = output_hashes(record), output_hashes(cli_record)
    assert len(dag_hashes) >= 20, sorted(dag_hashes)
    assert dag_hashes == cli_hashes
    print(f"run {run_id}: verdict {gate['verdict']}, {len(dag_hashes)} output tables identical to the CLI run's")
