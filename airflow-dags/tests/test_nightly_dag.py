"""dag.test() of the nightly DAG with a stand-in for bin/rehearsal that records its arguments: the run id
comes from the logical date, each registered manifest gets one whole run (no --step)."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timezone

from conftest import REPO, task_states, xcom

STUB = r"""#!/usr/bin/env bash
printf '%s\n' "$@" > "$STUB_ARGS"
run_id=""
while [[ $# -gt 0 ]]; do [[ "$1" == --run-id ]] && run_id="$2"; shift; done
echo "{\"record\":\"/w/runs/$run_id/record.json\",\"report\":null,\"run_id\":\"$run_id\",\"status\":\"completed\",\"verdict\":\"PASS\"}"
"""


def test_nightly_runs_the_demo_manifest_for_the_logical_date(dagbag, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    launcher = home / "bin" / "rehearsal"
    launcher.write_text(STUB)
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    # The stand-in's home has no manifests: point the registered (relative) paths at the repository's files.
    for name in ("manifests", "conf"):
        (home / name).symlink_to(REPO / name)
    args_file = tmp_path / "args"
    monkeypatch.setenv("REHEARSAL_HOME", str(home))
    monkeypatch.setenv("STUB_ARGS", str(args_file))
    monkeypatch.setenv("REHEARSAL_COMMAND_PREFIX", "")
    # An Airflow Variable wins over the environment variable.
    monkeypatch.setenv("REHEARSAL_WAREHOUSE", str(tmp_path / "env-wh"))
    variables = tmp_path / "variables.json"
    variables.write_text(json.dumps({"rehearsal_warehouse": str(tmp_path / "wh")}))

    nightly = dagbag.get_dag("rehearsal_nightly")
    dr = nightly.test(logical_date=datetime(2026, 3, 4, tzinfo=timezone.utc), variable_file_path=str(variables))
    assert task_states(dr) == {"run_demo": "success"}

    args = args_file.read_text().splitlines()
    assert args[:2] == ["run", str(home / "manifests" / "demo.yaml")]
    assert args[args.index("--run-id") + 1] == "nightly-demo-20260304"
    assert args[args.index("--warehouse") + 1] == str(tmp_path / "wh")
    assert args[args.index("--lake") + 1] == str(home / "demo-data" / "lake")
    assert args[args.index("--salt-file") + 1] == str(home / "conf" / "demo-salt.txt")
    assert "--step" not in args
    assert xcom(dr, "run_demo")["run_id"] == "nightly-demo-20260304"
