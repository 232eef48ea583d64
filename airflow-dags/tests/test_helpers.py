"""The helpers of rehearsal_dags/: run ids, settings, the conf check, registered manifests."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowFailException

from rehearsal_dags import settings
from rehearsal_dags.checks import check_pr_conf
from rehearsal_dags.commands import parse_result_line
from rehearsal_dags.manifests import registered_manifests
from rehearsal_dags.run_ids import is_valid_run_id, nightly_run_id, pr_run_id, sanitize

REPO = Path(__file__).resolve().parents[2]
RUN = SimpleNamespace(run_id="manual__x", logical_date=datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc), run_after=None)


def test_sanitize():
    assert sanitize("pr-123-20260304T050607") == "pr-123-20260304T050607"
    assert sanitize("feature/new model (v2)") == "feature-new-model-v2"
    assert sanitize("..-x") == "x"
    assert len(sanitize("a" * 300)) == 128
    with pytest.raises(ValueError):
        sanitize("/// ")


def test_pr_run_id():
    assert pr_run_id(123, RUN) == "pr-123-20260304T050607"
    assert pr_run_id("org/repo#42", RUN) == "pr-org-repo-42-20260304T050607"
    no_logical_date = SimpleNamespace(run_id="r", logical_date=None, run_after=RUN.logical_date)
    assert pr_run_id(7, no_logical_date) == "pr-7-20260304T050607"
    long = pr_run_id("x" * 500, RUN)
    assert len(long) == 128 and long.endswith("-20260304T050607") and is_valid_run_id(long)
    with pytest.raises(ValueError):
        pr_run_id("", RUN)


def test_nightly_run_id():
    assert nightly_run_id("demo", "20260304") == "nightly-demo-20260304"


def test_settings_defaults_and_overrides(monkeypatch, tmp_path):
    for var in ("REHEARSAL_HOME", "REHEARSAL_LAKE", "REHEARSAL_WAREHOUSE", "REHEARSAL_SALT_FILE"):
        monkeypatch.delenv(var, raising=False)
    assert settings.rehearsal_home() == REPO
    assert settings.lake() == REPO / "demo-data" / "lake"
    assert settings.warehouse() == REPO / "demo-data" / "warehouse"
    assert settings.salt_file() is None
    monkeypatch.setenv("REHEARSAL_HOME", str(tmp_path))
    monkeypatch.setenv("REHEARSAL_WAREHOUSE", "wh")
    assert settings.warehouse() == tmp_path / "wh"
    assert settings.lake({"lake": "/abs/lake"}) == Path("/abs/lake")
    assert settings.warehouse({"warehouse": "other"}) == tmp_path / "other"
    # Object stores and HDFS: URIs pass through unchanged (a Path would collapse "s3a://" to "s3a:/").
    assert settings.lake({"lake": "s3a://bucket/lake"}) == "s3a://bucket/lake"
    monkeypatch.setenv("REHEARSAL_WAREHOUSE", "hdfs://nn:8020/rehearsal")
    assert settings.warehouse() == "hdfs://nn:8020/rehearsal"


def test_check_accepts_the_manifest_candidate():
    checked = check_pr_conf({"manifest": "manifests/demo.yaml", "candidate": "covis-5-v2", "pr_id": 9}, RUN)
    assert checked["run_id"] == "pr-9-20260304T050607"
    assert checked["manifest"] == str(REPO / "manifests" / "demo.yaml")


def test_check_refuses_another_candidate():
    with pytest.raises(AirflowFailException, match=r"candidate mismatch.*'covis-9'.*'covis-5-v2'"):
        check_pr_conf({"manifest": "manifests/demo.yaml", "candidate": "covis-9", "pr_id": 9}, RUN)


def test_check_names_missing_conf():
    with pytest.raises(AirflowFailException, match="lacks candidate, pr_id"):
        check_pr_conf({"manifest": "manifests/demo.yaml"}, RUN)
    with pytest.raises(AirflowFailException, match="cannot read the manifest"):
        check_pr_conf({"manifest": "manifests/nope.yaml", "candidate": "c", "pr_id": 1}, RUN)


def test_parse_result_line():
    assert parse_result_line('{"run_id":"r","verdict":"PASS"}\n') == {"run_id": "r", "verdict": "PASS"}
    assert parse_result_line("INFO something") is None
    assert parse_result_line("") is None


def test_registered_manifests(tmp_path):
    [demo] = registered_manifests()
    assert (demo.name, demo.manifest, demo.salt_file) == ("demo", "manifests/demo.yaml", "conf/demo-salt.txt")
    bad = tmp_path / "r.yaml"
    bad.write_text("manifests:\n  - manifest: a.yaml\n  - manifest: b/a.yaml\n")
    with pytest.raises(ValueError, match="registered twice"):
        registered_manifests(bad)
