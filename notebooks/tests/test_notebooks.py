"""Checks of the committed notebooks (no Spark needed), and of executed copies when bin/test-notebooks made them.

    .venv-notebooks/bin/python -m pytest notebooks/tests
    REHEARSAL_EXECUTED_NOTEBOOKS=<folder of papermill outputs> .venv-notebooks/bin/python -m pytest notebooks/tests
"""
import os
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = ["01_snapshot_explorer.ipynb", "02_features_over_time.ipynb", "03_ranking_regression.ipynb",
            "04_drift.ipynb", "05_catalog_simulation.ipynb"]
EXECUTED = os.environ.get("REHEARSAL_EXECUTED_NOTEBOOKS", "")

sys.path.insert(0, str(NOTEBOOK_DIR))
import rehearsal_nb  # noqa: E402


def by_name(paths):
    return pytest.mark.parametrize("path", paths, ids=[p.name for p in paths])


def test_exactly_the_five_notebooks_exist():
    # A new notebook must be added here (and to README.md and test_notebook_numbers.py); a missing one fails.
    names = [p.name for p in NOTEBOOKS]
    assert names == EXPECTED, f"notebooks/ holds {names}, expected exactly {EXPECTED}"


# The cells whose displayed tables test_notebook_numbers.py checks against the run (tag -> notebook).
SHOWS = {
    "01_snapshot_explorer.ipynb": ["shows-snapshot-index", "shows-inclusion"],
    "02_features_over_time.ipynb": ["shows-entities-per-day", "shows-parity"],
    "03_ranking_regression.ipynb": ["shows-gates", "shows-relative-lift", "shows-user-outcomes", "shows-scoring"],
    "04_drift.ipynb": ["shows-drift-levels", "shows-top-drifted"],
    "05_catalog_simulation.ipynb": ["shows-checks", "shows-scenario-deltas", "shows-churn", "shows-cold-start"],
}


def test_every_notebook_has_its_checked_cells():
    assert sorted(SHOWS) == EXPECTED
    for name, wanted in SHOWS.items():
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        tags = [t for c in nb.cells if c.cell_type == "code" for t in c.metadata.get("tags", []) if t.startswith("shows-")]
        assert sorted(tags) == sorted(wanted), f"{name}: cells tagged {tags}, expected exactly one each of {wanted}"


@by_name(NOTEBOOKS)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        hint = f"{path.name}, cell {i}: run `python notebooks/strip_outputs.py {path.relative_to(NOTEBOOK_DIR.parent)}`"
        assert cell.outputs == [], f"{hint} (it has outputs)"
        assert cell.execution_count is None, f"{hint} (it has an execution count)"
        assert "execution" not in cell.metadata and "papermill" not in cell.metadata, f"{hint} (run metadata)"
    assert "papermill" not in nb.metadata and "widgets" not in nb.metadata, f"{path.name}: strip its run metadata"


@by_name(NOTEBOOKS)
def test_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one code cell tagged 'parameters' (papermill injects after it)"
    assert tagged[0] is code[0], f"{path.name}: the parameters cell must be the first code cell"
    namespace = {}
    exec(tagged[0].source, namespace)  # plain assignments only
    assert isinstance(namespace.get("warehouse"), str) and isinstance(namespace.get("run_id"), str)
    assert nb.metadata.get("kernelspec", {}).get("language") == "python"


@by_name(NOTEBOOKS)
def test_notebook_asserts_on_its_data(path):
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "assert " in source, f"{path.name}: a notebook must assert something about the data it shows"
    assert "rnb.open_run(warehouse, run_id" in source, f"{path.name}: open the run from the parameters"


# --- the helper module, without Spark ---------------------------------------------------------------------

def make_run(warehouse, run_id, recorded=True, mtime=None):
    run = warehouse / "runs" / run_id
    run.mkdir(parents=True)
    if recorded:
        (run / "record.json").write_text('{"entries": [{"kind": "result", "body": {"verdict": "PASS"}}]}')
        if mtime is not None:
            os.utime(run / "record.json", (mtime, mtime))
    return run


def test_resolve_run_by_id_and_latest(tmp_path):
    make_run(tmp_path, "old", mtime=1_000_000)
    newer = make_run(tmp_path, "new", mtime=2_000_000)
    make_run(tmp_path, "unrecorded", recorded=False)
    assert rehearsal_nb.resolve_run(str(tmp_path), "old") == tmp_path / "runs" / "old"
    assert rehearsal_nb.resolve_run(str(tmp_path), "") == newer


def test_resolve_run_relative_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.setattr(rehearsal_nb, "REPO", tmp_path)
    run = make_run(tmp_path / "demo-data" / "warehouse", "r1")
    assert rehearsal_nb.resolve_run("demo-data/warehouse", "r1") == run
    with pytest.raises(FileNotFoundError, match="no runs under .*nowhere"):
        rehearsal_nb.resolve_run("nowhere/warehouse", "")


def test_resolve_run_names_the_runs_there(tmp_path):
    make_run(tmp_path, "a")
    with pytest.raises(FileNotFoundError, match=r"run 'b' not found .*\['a'\]"):
        rehearsal_nb.resolve_run(str(tmp_path), "b")


def test_delta_jars_from_the_environment(tmp_path, monkeypatch):
    jar = tmp_path / "delta.jar"
    jar.write_bytes(b"")
    monkeypatch.setenv("REHEARSAL_NOTEBOOK_JARS", str(jar))
    assert rehearsal_nb.delta_jars() == [str(jar)]
    monkeypatch.setenv("REHEARSAL_NOTEBOOK_JARS", str(tmp_path / "missing.jar"))
    with pytest.raises(FileNotFoundError, match="missing.jar"):
        rehearsal_nb.delta_jars()


# --- executed copies (bin/test-notebooks) ------------------------------------------------------------------

executed = pytest.mark.skipif(not EXECUTED, reason="REHEARSAL_EXECUTED_NOTEBOOKS not set (bin/test-notebooks sets it)")


@executed
@by_name(NOTEBOOKS)
def test_executed_copy_ran_every_cell_and_drew(path):
    copy = Path(EXECUTED) / path.name
    assert copy.is_file(), f"no executed copy {copy}"
    nb = nbformat.read(copy, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    assert all(c.execution_count is not None for c in code), f"{path.name}: a cell did not run"
    images = [o for c in code for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 2, f"{path.name}: expected plots, found {len(images)} image(s)"
    assert nb.metadata.get("papermill", {}).get("exception") in (None, False)


def test_profiles_give_the_notebook_session_the_launchers_settings(tmp_path, monkeypatch):
    # Expected values written from conf/profiles/small.conf and the rules of docs/launcher.md ("Profiles"), not
    # from the function: nine settings; ${VAR:-default} takes the default when VAR is unset or empty; a value
    # that expands to nothing leaves its line out; of two profiles the later wins.
    small = {
        "spark.sql.codegen.wholeStage": "false",
        "spark.sql.codegen.factoryMode": "NO_CODEGEN",
        "spark.sql.adaptive.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.databricks.delta.snapshotPartitions": "1",
        "spark.sql.sources.parallelPartitionDiscovery.parallelism": "8",
        "spark.databricks.delta.stats.collect": "false",
        "spark.databricks.delta.writeChecksumFile.enabled": "false",
        "spark.sql.subexpressionElimination.enabled": "false",
    }
    assert rehearsal_nb.profile_confs("small") == small
    assert rehearsal_nb.profile_confs("small short-lived") == {
        **small,
        "spark.driver.defaultJavaOptions": "-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -Xss4m -XX:ReservedCodeCacheSize=256m",
        "spark.executor.defaultJavaOptions": "-XX:+UseParallelGC -XX:TieredStopAtLevel=1 -Xss4m -XX:ReservedCodeCacheSize=256m",
    }
    mine = tmp_path / "mine.conf"
    mine.write_text("# a comment\n\nspark.a   ${NB_TEST_A:-fallback}\nspark.b ${NB_TEST_B}\n"
                    "spark.sql.codegen.wholeStage  true\n")
    monkeypatch.delenv("NB_TEST_A", raising=False)
    monkeypatch.delenv("NB_TEST_B", raising=False)
    assert rehearsal_nb.profile_confs(f"small {mine}") == {**small, "spark.sql.codegen.wholeStage": "true",
                                                              "spark.a": "fallback"}
    monkeypatch.setenv("NB_TEST_A", "set")
    monkeypatch.setenv("REHEARSAL_PROFILES", str(mine))
    assert rehearsal_nb.profile_confs() == {"spark.a": "set", "spark.sql.codegen.wholeStage": "true"}
    (tmp_path / "bad.conf").write_text("spark.only.a.key\n")
    with pytest.raises(ValueError, match=r"bad.conf, line 1: expected 'spark.conf.key value', got 'spark.only.a.key'"):
        rehearsal_nb.profile_confs(str(tmp_path / "bad.conf"))
    with pytest.raises(FileNotFoundError, match="no-such-profile"):
        rehearsal_nb.profile_confs("no-such-profile")
