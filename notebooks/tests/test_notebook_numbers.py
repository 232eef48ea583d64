"""The numbers the executed notebooks show, checked against the run they read.

Each test takes a table a notebook displayed — the text/html output of a code cell tagged `shows-<what>` in the
papermill copy under $REHEARSAL_EXECUTED_NOTEBOOKS — and compares it, row by row, with the same numbers
obtained here from the run itself: `record.json` read as JSON, and the Delta tables under
`$REHEARSAL_NOTEBOOK_WAREHOUSE/runs/$REHEARSAL_NOTEBOOK_RUN_ID/` read with delta-rs (the `deltalake` package)
into pandas. Nothing here uses Spark or rehearsal_nb.py, so a mistake in the notebooks' reading path (the
wrong table, segment or version, a stale number, a mislabelled row) cannot agree with itself.

    REHEARSAL_EXECUTED_NOTEBOOKS=<papermill outputs> REHEARSAL_NOTEBOOK_WAREHOUSE=<warehouse> \\
      REHEARSAL_NOTEBOOK_RUN_ID=<run id> .venv-notebooks/bin/python -m pytest notebooks/tests

bin/test-notebooks sets all three. Without REHEARSAL_EXECUTED_NOTEBOOKS (plain pytest) the tests of executed copies
are skipped; with it, a missing warehouse or run id fails them instead. The tests of the table reader and of the
comparisons themselves (at the end) always run.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

EXECUTED = os.environ.get("REHEARSAL_EXECUTED_NOTEBOOKS", "")
WAREHOUSE = os.environ.get("REHEARSAL_NOTEBOOK_WAREHOUSE", "")
RUN_ID = os.environ.get("REHEARSAL_NOTEBOOK_RUN_ID", "")

executed_copies = pytest.mark.skipif(not EXECUTED,
                                     reason="REHEARSAL_EXECUTED_NOTEBOOKS not set (bin/test-notebooks sets it)")


# --- the run, read without Spark ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def run_dir() -> Path:
    if not WAREHOUSE or not RUN_ID:
        pytest.fail("REHEARSAL_EXECUTED_NOTEBOOKS is set but REHEARSAL_NOTEBOOK_WAREHOUSE / REHEARSAL_NOTEBOOK_RUN_ID "
                    "are not: the executed notebooks cannot be checked against their run (bin/test-notebooks sets all three)")
    path = Path(WAREHOUSE) / "runs" / RUN_ID
    assert path.is_dir(), f"no run {path}"
    return path


@functools.lru_cache(maxsize=None)
def delta(rel: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The Delta table `<run>/<rel>` at its latest version, read by delta-rs (no Spark)."""
    from deltalake import DeltaTable

    path = run_dir() / rel
    assert (path / "_delta_log").is_dir(), f"the run has no Delta table {rel}"
    return DeltaTable(str(path)).to_pandas(columns=list(columns) if columns else None)


@functools.lru_cache(maxsize=None)
def record() -> dict:
    """The result entry of record.json (the last `kind: result` entry), read as plain JSON."""
    entries = json.loads((run_dir() / "record.json").read_text())["entries"]
    results = [e["body"] for e in entries if e.get("kind") == "result"]
    assert results, "record.json has no result entry"
    return results[-1]


def only_folder(kind: str) -> str:
    """The manifest folder under evaluation/, drift/ or simulation/ (a demo run has exactly one)."""
    names = sorted(p.name for p in (run_dir() / kind).iterdir() if p.is_dir())
    assert len(names) == 1, f"expected one {kind}/ folder, found {names}"
    return f"{kind}/{names[0]}"


def segment_of_snapshot() -> dict[str, str]:
    index = delta("snapshots/index", ("snapshot_id", "segment"))
    return dict(zip(index.snapshot_id, index.segment))


# --- what an executed notebook shows --------------------------------------------------------------------------

class _Tables(HTMLParser):
    """Every <table> of an HTML fragment: rows of [is_th, text, rowspan, colspan], each row marked thead or not."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._row, self._cell, self._head = [], None, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag in ("thead", "tbody"):
            self._head = tag == "thead"
        elif tag == "tr" and self.tables:
            self._row = (self._head, [])
            self.tables[-1].append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = [tag == "th", "", int(a.get("rowspan") or 1), int(a.get("colspan") or 1)]
            self._row[1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data


def _grid(rows):
    """Rows of (is_th, text) with rowspan and colspan expanded (pandas sparsifies repeated MultiIndex labels)."""
    grid, pending = [], {}  # column -> [(is_th, text), rows still to fill]
    for head, cells in rows:
        line, col, cells = [], 0, list(cells)
        while cells or any(c >= col for c in pending):
            if col in pending:
                cell, left = pending[col]
                line.append(cell)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col][1] = left - 1
            elif cells:
                is_th, text, rowspan, colspan = cells.pop(0)
                cell = (is_th, " ".join(text.split()))
                line.append(cell)
                if rowspan > 1:
                    pending[col] = [cell, rowspan - 1]
                for _ in range(colspan - 1):
                    col += 1
                    line.append(cell)
                    if rowspan > 1:
                        pending[col] = [cell, rowspan - 1]
            col += 1
        grid.append((head, line))
    return grid


class Shown:
    """A displayed DataFrame: `rows[index] -> {column: text}`; `index` is the tuple of the row's labels and a
    column of MultiIndex columns is named by its labels joined with ' / '."""

    def __init__(self, html: str):
        parser = _Tables()
        parser.feed(html)
        assert len(parser.tables) == 1, f"expected one table in the output, found {len(parser.tables)}"
        grid = _grid(parser.tables[0])
        header = [line for head, line in grid if head]
        body = [line for head, line in grid if not head]
        assert body, "the displayed table has no rows"
        levels = next(i for i, (is_th, _) in enumerate(body[0] + [(False, "")]) if not is_th)
        width = max(len(line) for _, line in grid)
        self.columns = [" / ".join(h[j][1] for h in header if j < len(h) and h[j][1]) for j in range(levels, width)]
        self.rows: dict[tuple, dict[str, str]] = {}
        for line in body:
            index = tuple(text for _, text in line[:levels])
            assert "..." not in index and all(t != "..." for _, t in line), \
                "the displayed table is truncated (pandas display.max_rows / max_columns): the test cannot see every row"
            assert index not in self.rows, f"row {index} shown twice"
            self.rows[index] = {c: text for c, (_, text) in zip(self.columns, line[levels:])}

    def __repr__(self):
        return f"Shown(columns={self.columns}, rows={list(self.rows)})"

    def by(self, *columns: str) -> dict[tuple, dict[str, str]]:
        """The rows keyed by the values of some columns (for a table shown with a plain 0, 1, 2… index)."""
        missing = [c for c in columns if c not in self.columns]
        assert not missing, f"the displayed table has no column(s) {missing}: {self.columns}"
        keyed = {tuple(row[c] for c in columns): row for row in self.rows.values()}
        assert len(keyed) == len(self.rows), f"two displayed rows share the same {columns}"
        return keyed


@functools.lru_cache(maxsize=None)
def executed(name: str):
    path = Path(EXECUTED) / name
    assert path.is_file(), f"no executed copy {path}"
    return nbformat.read(path, as_version=4)


def cell(name: str, tag: str):
    cells = [c for c in executed(name).cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{name}: expected one code cell tagged '{tag}', found {len(cells)}"
    assert cells[0].execution_count is not None, f"{name}: the cell tagged '{tag}' did not run"
    return cells[0]


def tables(name: str, tag: str) -> list[Shown]:
    """Every DataFrame the tagged cell displayed, in order (display() calls, then the cell's result)."""
    return [Shown(o["data"]["text/html"]) for o in cell(name, tag).outputs
            if o.get("output_type") in ("display_data", "execute_result") and "<table" in o.get("data", {}).get("text/html", "")]


def table(name: str, tag: str, which: int = -1) -> Shown:
    found = tables(name, tag)
    assert found, f"{name}: the cell tagged '{tag}' displayed no table"
    return found[which]


def printed(name: str, tag: str) -> str:
    return "".join(o.get("text", "") for o in cell(name, tag).outputs if o.get("output_type") == "stream")


# --- comparing -----------------------------------------------------------------------------------------------

MISSING = {"NaN", "nan", "None", "<NA>", "NaT", ""}


def num(text: str) -> float:
    return math.nan if text in MISSING else float(text.replace(",", ""))


def displayed_precision(text: str) -> float:
    """Half a unit in the last place the text shows: '127.9' -> 0.05, '0.123457' -> 5e-7, '1.5e-05' -> 5e-07."""
    m = re.fullmatch(r"[-+]?\d*(?:\.(\d*))?(?:[eE]([-+]?\d+))?", text.strip())
    assert m, f"not a number: {text!r}"
    return 0.5 * 10.0 ** (int(m.group(2) or 0) - len(m.group(1) or ""))


def same_number(shown: str, expected, *, where: str = "") -> None:
    """`shown` (a displayed cell) is `expected` rounded the way it is shown: within half a unit of its last
    displayed digit (exact for integers), plus 1e-9 relative for record.json's 10 significant digits; NaN only
    where the run has no value."""
    value = num(shown)
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert math.isnan(value), f"{where}: shows {shown!r}, the run has no value"
        return
    expected = float(expected)
    assert not math.isnan(value), f"{where}: shows {shown!r}, the run has {expected!r}"
    tolerance = displayed_precision(shown) * (1 + 1e-9) + 1e-9 * abs(expected)
    assert abs(value - expected) <= tolerance, f"{where}: shows {shown}, the run has {expected!r}"


def same_keys(shown: Shown, expected_keys, what: str) -> None:
    got, want = set(shown.rows), {tuple(str(x) for x in k) for k in expected_keys}
    assert got == want, f"{what}: shows rows {sorted(got)}, the run has {sorted(want)}"


# --- 01 · snapshot explorer ------------------------------------------------------------------------------------

NB01 = "01_snapshot_explorer.ipynb"


@executed_copies
def test_01_snapshot_sizes_match_the_snapshot_tables_and_the_record():
    """The index table (snapshot_id, users, events, items per segment) against the row counts of
    snapshots/users, events and items per segment (delta-rs, counted with pandas) and against record.json's
    `snapshots` (snapshot_id, sampled_users, events, items)."""
    shown = table(NB01, "shows-snapshot-index")
    counts = {entity: delta(f"snapshots/{entity}", ("segment",)).segment.value_counts()
              for entity in ("users", "events", "items")}
    recorded = {s["segment"]: s for s in record()["snapshots"]}
    rows = shown.by("segment")
    assert set(rows) == {(s,) for s in recorded}, f"snapshot index: shows {sorted(rows)}, record.json has {sorted(recorded)}"
    for (segment,), row in rows.items():
        r = recorded[segment]
        assert row["snapshot_id"] == r["snapshot_id"], f"{segment}: snapshot_id {row['snapshot_id']}, record {r['snapshot_id']}"
        for entity, key in (("users", "sampled_users"), ("events", "events"), ("items", "items")):
            same_number(row[entity], int(counts[entity].get(segment, 0)), where=f"{segment} {entity} (table rows)")
            same_number(row[entity], r[key], where=f"{segment} {entity} (record.json {key})")


@executed_copies
def test_01_inclusion_probabilities_match_the_users_table():
    """Per segment: sampled users, the smallest and largest inclusion probability and the Horvitz–Thompson sum
    Σ 1/p, computed here with pandas from snapshots/users; eligible users from snapshots/fidelity (metric
    `users`, population) and record.json's `snapshots` (eligible_users)."""
    shown = table(NB01, "shows-inclusion")
    users = delta("snapshots/users", ("segment", "inclusion_probability"))
    fidelity = delta("snapshots/fidelity")
    eligible = fidelity[fidelity.metric == "users"].set_index("segment").population
    recorded = {s["segment"]: s for s in record()["snapshots"]}
    grouped = users.groupby("segment").inclusion_probability
    expected = pd.DataFrame({"sampled": grouped.size(), "min_p": grouped.min(), "max_p": grouped.max(),
                             "horvitz_thompson_users": (1 / users.inclusion_probability).groupby(users.segment).sum()})
    same_keys(shown, [(s,) for s in expected.index], "inclusion probabilities")
    for (segment,), row in shown.rows.items():
        where = f"{segment}"
        same_number(row["sampled"], expected.loc[segment, "sampled"], where=f"{where} sampled")
        for column in ("min_p", "max_p", "horvitz_thompson_users"):
            same_number(row[column], expected.loc[segment, column], where=f"{where} {column}")
        same_number(row["eligible_users"], eligible[segment], where=f"{where} eligible_users")
        same_number(row["eligible_users"], recorded[segment]["eligible_users"], where=f"{where} eligible_users (record)")


# --- 02 · features over time -----------------------------------------------------------------------------------

NB02 = "02_features_over_time.ipynb"


def feature_days(entity: str) -> pd.DataFrame:
    """Rows per (segment, as_of_date) of every features/<snapshot_id>/<entity> table, counted with pandas."""
    segment_of = segment_of_snapshot()
    frames = []
    for table_dir in sorted((run_dir() / "features").glob(f"*/{entity}")):
        if (table_dir / "_delta_log").is_dir():
            days = delta(str(table_dir.relative_to(run_dir())), ("as_of_date",))
            frames.append(days.assign(segment=segment_of.get(table_dir.parent.name, table_dir.parent.name)))
    assert frames, f"the run has no features/*/{entity} table"
    rows = pd.concat(frames).groupby(["segment", "as_of_date"]).size().rename("rows").reset_index()
    return rows.groupby("segment").agg(days=("as_of_date", "nunique"), first=("as_of_date", "min"),
                                       last=("as_of_date", "max"), rows_per_day=("rows", "mean"))


@executed_copies
def test_02_entities_per_day_match_the_feature_tables():
    """Per entity (users, items) and segment: as-of days, first and last day and mean rows per day, counted here
    from every features/<snapshot_id>/{user_daily,item_daily} table (segment via snapshots/index); days × rows
    per day must also give record.json's `feature_tables` rows (up to the shown rounding)."""
    shown = table(NB02, "shows-entities-per-day")
    expected = {"users": feature_days("user_daily"), "items": feature_days("item_daily")}
    recorded = {(t["entity"], t["segment"]): t["rows"] for t in record()["feature_tables"]}
    same_keys(shown, [(e, s) for e, d in expected.items() for s in d.index], "entities per as-of day")
    for (entity, segment), row in shown.rows.items():
        e = expected[entity].loc[segment]
        where = f"{entity} {segment}"
        same_number(row["days"], e["days"], where=f"{where} days")
        assert row["first"] == str(pd.Timestamp(e["first"]).date()), f"{where}: first day {row['first']}, run {e['first']}"
        assert row["last"] == str(pd.Timestamp(e["last"]).date()), f"{where}: last day {row['last']}, run {e['last']}"
        same_number(row["rows_per_day"], e["rows_per_day"], where=f"{where} rows_per_day")
        rows = recorded[(entity[:-1], segment)]
        assert abs(num(row["days"]) * num(row["rows_per_day"]) - rows) <= 0.05 * num(row["days"]) + 1e-6, \
            f"{where}: {row['days']} days × {row['rows_per_day']} rows per day, record.json has {rows} rows"


@executed_copies
def test_02_parity_counts_match_the_parity_table():
    """Parity checks per segment, entity and status (PASS / FAIL), counted here from features/parity; the
    checks and failures per segment and entity also against record.json's `parity`."""
    shown = table(NB02, "shows-parity", 0)
    parity = delta("features/parity", ("segment", "entity", "status"))
    expected = parity.groupby(["segment", "entity", "status"]).size().unstack(fill_value=0)
    recorded = {(p["segment"], p["entity"]): p for p in record()["parity"]}
    same_keys(shown, expected.index, "parity counts")
    same_keys(shown, recorded, "parity counts (record.json)")
    for (segment, entity), row in shown.rows.items():
        for status in set(shown.columns) | set(expected.columns):
            assert status in row, f"parity: status {status} not shown"
            same_number(row[status], expected.loc[(segment, entity)].get(status, 0), where=f"{segment} {entity} {status}")
        r = recorded[(segment, entity)]
        same_number(str(sum(num(v) for v in row.values())), r["checks"], where=f"{segment} {entity} checks (record)")
        same_number(row.get("FAIL", "0"), r["failures"], where=f"{segment} {entity} failures (record)")


# --- 03 · ranking regression -----------------------------------------------------------------------------------

NB03 = "03_ranking_regression.ipynb"


def gates() -> pd.DataFrame:
    return delta(f"{only_folder('evaluation')}/gates")


@executed_copies
def test_03_gates_match_the_gates_table_and_the_record():
    """Every gate row (role, status, baseline, candidate, difference, interval, users, adjusted p) against
    evaluation/<manifest>/gates, and status, baseline, candidate, delta and users also against record.json's
    `gates`; the printed run verdict against record.json's `verdict`; the printed evaluation and segment
    statuses against the gates' overall_status and segment_status; the displayed checks (check, status, in
    order) against record.json's `checks`."""
    shown = table(NB03, "shows-gates")
    g = gates().set_index(["segment", "metric"])
    by_row = shown.by("segment", "metric")
    assert set(by_row) == set(g.index), \
        f"gates: shows {sorted(by_row)}, the run has {sorted(g.index)}"
    recorded = {(r["segment"], r["metric"]): r for r in record()["gates"]}
    for key, row in by_row.items():
        e = g.loc[key]
        where = " ".join(key)
        assert row["role"] == e["role"] and row["status"] == e["status"], \
            f"{where}: shows {row['role']} {row['status']}, the run has {e['role']} {e['status']}"
        for column in ("baseline", "candidate", "difference", "t_low", "t_high", "users", "required_users",
                       "adjusted_p_value"):
            same_number(row[column], e[column], where=f"{where} {column}")
        if key in recorded:  # record.json keeps the gated metrics' numbers (10 significant digits)
            r = recorded[key]
            assert row["status"] == r["status"], f"{where}: status {row['status']}, record.json {r['status']}"
            for column, rkey in (("baseline", "baseline"), ("candidate", "candidate"), ("difference", "delta"),
                                 ("users", "users")):
                if r.get(rkey) is not None:
                    same_number(row[column], r[rkey], where=f"{where} {column} (record.json {rkey})")
    assert {k for k in recorded if k in by_row}, "no gate of record.json is shown"

    text = printed(NB03, "shows-gates")
    verdict = re.search(r"evaluation: (\w+)\s+run verdict \(record\): (\S+)", text)
    assert verdict, f"no verdict line in the printed output:\n{text}"
    assert verdict.group(1) == g.overall_status.iloc[0], "evaluation status"
    assert verdict.group(2) == record()["verdict"], f"run verdict {verdict.group(2)}, record.json {record()['verdict']}"
    statuses = dict(re.findall(r"^  (\S+): (\w+)$", text, re.M))
    assert statuses == g.groupby(level="segment").segment_status.first().to_dict(), "segment statuses"

    checks = record()["checks"]
    assert checks, "record.json lists no checks"
    shown_checks = table(NB03, "shows-gates", 0)
    assert [(r["check"], r["status"]) for r in shown_checks.rows.values()] == \
        [(c["check"], c["status"]) for c in checks], "the displayed checks are not record.json's"


@executed_copies
def test_03_relative_lift_matches_the_metrics_table():
    """Relative lift (%) of each shown metric per segment, from evaluation/<manifest>/metrics rows with slice
    'all' (relative_lift × 100, shown rounded to 0.1)."""
    shown = table(NB03, "shows-relative-lift")
    m = delta(f"{only_folder('evaluation')}/metrics")
    overall = m[m.slice == "all"].set_index(["segment", "metric"]).relative_lift
    same_keys(shown, {(s,) for s, _ in overall.index}, "relative lift")
    assert shown.columns, "no metric shown"
    for (segment,), row in shown.rows.items():
        for metric, text in row.items():
            same_number(text, overall.get((segment, metric), math.nan) * 100, where=f"{segment} {metric}")


@executed_copies
def test_03_user_outcomes_match_the_user_metrics():
    """Users the candidate did better / the same / worse for, per segment, on the primary gated metric (gates
    role 'primary'): the sign of `difference` in evaluation/<manifest>/user_metrics, counted with pandas."""
    shown = table(NB03, "shows-user-outcomes")
    primary = gates().query("role == 'primary'").metric.iloc[0]
    um = delta(f"{only_folder('evaluation')}/user_metrics", ("segment", "metric", "difference"))
    um = um[um.metric == primary]
    outcome = np.select([um.difference > 0, um.difference < 0], ["better", "worse"], "same")
    expected = um.assign(outcome=outcome).groupby(["segment", "outcome"]).size().unstack(fill_value=0)
    same_keys(shown, [(s,) for s in expected.index], "user outcomes")
    for (segment,), row in shown.rows.items():
        total = int(expected.loc[segment].sum())
        for o in ("better", "same", "worse"):
            same_number(row[o], int(expected.loc[segment].get(o, 0)), where=f"{segment} {o}")
        for o in ("better", "worse"):
            same_number(row[f"{o} %"], 100 * expected.loc[segment].get(o, 0) / total, where=f"{segment} {o} %")


@executed_copies
def test_03_scoring_matches_the_scoring_table():
    """Users scored, with the model's own list, with the fallback, without a list and failures, per segment and
    model, against evaluation/<manifest>/scoring."""
    rows = table(NB03, "shows-scoring").by("segment", "model")
    scoring = delta(f"{only_folder('evaluation')}/scoring").set_index(["segment", "model"])
    assert set(rows) == set(scoring.index), f"scoring: shows {sorted(rows)}, the run has {sorted(scoring.index)}"
    for key, row in rows.items():
        for column in ("users_scored", "users_with_model_list", "users_with_fallback", "users_without_list", "failures"):
            same_number(row[column], scoring.loc[key, column], where=f"{key} {column}")


# --- 04 · drift ------------------------------------------------------------------------------------------------

NB04 = "04_drift.ipynb"


@executed_copies
def test_04_drift_levels_match_the_features_table_and_the_record():
    """Features per segment, entity and level (NOT_COMPARABLE / OK / WARN / ALERT), counted here from drift/<manifest>/features;
    each segment's ALERT and WARN totals also against record.json's drift `segments` (alerts, warnings)."""
    shown = table(NB04, "shows-drift-levels")
    f = delta(f"{only_folder('drift')}/features", ("segment", "entity", "level"))
    expected = f.groupby(["segment", "entity", "level"]).size().unstack(fill_value=0)
    same_keys(shown, expected.index, "drift levels")
    for (segment, entity), row in shown.rows.items():
        assert set(row) == {"NOT_COMPARABLE", "OK", "WARN", "ALERT"}, f"drift levels: columns {list(row)}"
        for level in ("NOT_COMPARABLE", "OK", "WARN", "ALERT"):
            same_number(row[level], int(expected.loc[(segment, entity)].get(level, 0)), where=f"{segment} {entity} {level}")
    recorded = {d["segment"]: d for d in record()["drift"]["segments"]}
    assert {seg for seg, _ in shown.rows} == set(recorded), "drift segments differ from record.json's"
    for segment, r in recorded.items():
        for level, key in (("ALERT", "alerts"), ("WARN", "warnings")):
            total = sum(num(row[level]) for (seg, _), row in shown.rows.items() if seg == segment)
            assert total == r[key], f"{segment}: {total:.0f} {level} shown, record.json has {key} = {r[key]}"


@executed_copies
def test_04_top_drifted_features_match_the_features_table_and_the_record():
    """The most drifted features: every shown row's level, PSI, KS, JS distance, reference and current mean and
    median against its (segment, entity.feature) row of drift/<manifest>/features, and level, PSI and KS also
    against record.json's drift `features`; the shown rows are the ones with the highest severity in the
    table (as many as shown)."""
    rows = table(NB04, "shows-top-drifted").by("segment", "name")
    f = delta(f"{only_folder('drift')}/features")
    f = f.assign(name=f.entity + "." + f.feature).set_index(["segment", "name"])
    assert not f.index.duplicated().any()
    recorded = {(d["segment"], f"{d['entity']}.{d['feature']}"): d for d in record()["drift"]["features"]}
    for key, row in rows.items():
        assert key in f.index, f"top drifted: {key} is not in the run's features table"
        e = f.loc[key]
        assert row["level"] == e["level"], f"{key}: level {row['level']}, run {e['level']}"
        for column in ("psi", "ks", "js_distance", "reference_mean", "current_mean", "reference_p50", "current_p50"):
            same_number(row[column], e[column], where=f"{key} {column}")
        r = recorded.get(key)
        assert r is not None, f"top drifted: {key} is not in record.json's drift features"
        assert row["level"] == r["level"], f"{key}: level {row['level']}, record.json {r['level']}"
        for column in ("psi", "ks"):
            same_number(row[column], r.get(column), where=f"{key} {column} (record.json)")
    shown_severity = sorted((f.loc[key, "severity"] for key in rows), reverse=True)
    top = sorted(f.severity.dropna(), reverse=True)[:len(shown_severity)]
    assert np.allclose(shown_severity, top), f"top drifted: shown severities {shown_severity}, the run's top {top}"


# --- 05 · catalog simulation -----------------------------------------------------------------------------------

NB05 = "05_catalog_simulation.ipynb"


def sensitivity() -> pd.DataFrame:
    s = delta(f"{only_folder('simulation')}/sensitivity")
    return s[s.scenario != "unchanged"].set_index(["segment", "scenario", "model", "measure"])


@executed_copies
def test_05_checks_match_the_checks_table_and_the_record():
    """The simulation gate per segment and model (cold-start and scenario failures, max, status) against
    simulation/<manifest>/checks, and against record.json's `simulation` (failures = cold-start + scenario
    failures, max_failures, passed = PASS)."""
    rows = table(NB05, "shows-checks").by("segment", "model")
    checks = delta(f"{only_folder('simulation')}/checks").set_index(["segment", "model"])
    recorded = {(r["segment"], r["model"]): r for r in record()["simulation"]}
    assert set(rows) == set(checks.index) == set(recorded), \
        f"checks: shows {sorted(rows)}, table {sorted(checks.index)}, record.json {sorted(recorded)}"
    for key, row in rows.items():
        e, r = checks.loc[key], recorded[key]
        assert row["status"] == e["status"] == ("PASS" if r["passed"] else "FAIL"), \
            f"{key}: status {row['status']}, table {e['status']}, record.json passed={r['passed']}"
        for column in ("cold_start_failures", "scenario_failures", "max_failures"):
            same_number(row[column], e[column], where=f"{key} {column}")
        same_number(str(num(row["cold_start_failures"]) + num(row["scenario_failures"])), r["failures"],
                    where=f"{key} failures (record.json)")
        same_number(row["max_failures"], r["max_failures"], where=f"{key} max_failures (record.json)")


@executed_copies
def test_05_scenario_deltas_match_the_sensitivity_table():
    """Relative change (%) of each shown measure per segment, scenario and model against the unchanged catalog:
    relative_delta × 100 of simulation/<manifest>/sensitivity (shown rounded to 0.01); every changed scenario
    and model of the run is shown."""
    shown = table(NB05, "shows-scenario-deltas")
    s = sensitivity().relative_delta
    same_keys(shown, {k[:3] for k in s.index}, "scenario deltas")
    assert shown.columns, "no measure shown"
    for (segment, scenario, model), row in shown.rows.items():
        for measure, text in row.items():
            key = (segment, scenario, model, measure)
            assert key in s.index, f"{key} is not in the run's sensitivity table"
            same_number(text, s[key] * 100, where=str(key))


@executed_copies
def test_05_list_churn_and_injected_skus_match_the_sensitivity_table():
    """List churn, injected SKUs surfaced and the other list measures per segment, scenario and model: `value`
    of the matching simulation/<manifest>/sensitivity row; every such row of the run is shown."""
    shown = table(NB05, "shows-churn")
    s = sensitivity().value
    assert "list_churn@20" in shown.columns, f"no list churn shown: {shown.columns}"
    for (segment, scenario, model), row in shown.rows.items():
        for measure, text in row.items():
            key = (segment, scenario, model, measure)
            same_number(text, s.get(key, math.nan), where=str(key))
    shown_keys = {k + (m,) for k, row in shown.rows.items() for m in row if row[m] not in MISSING}
    expected_keys = {k for k in s.index if k[3] in shown.columns}
    assert shown_keys == expected_keys, f"list measures: shown and run differ in {sorted(shown_keys ^ expected_keys)}"


@executed_copies
def test_05_cold_start_matches_the_cold_start_table():
    """Cold-start users, valid lists, lists by fallback and failures per segment and model against
    simulation/<manifest>/cold_start."""
    rows = table(NB05, "shows-cold-start").by("segment", "model")
    cold = delta(f"{only_folder('simulation')}/cold_start").set_index(["segment", "model"])
    assert set(rows) == set(cold.index), f"cold start: shows {sorted(rows)}, the run has {sorted(cold.index)}"
    for key, row in rows.items():
        for column in ("users", "valid_lists", "by_fallback", "failures"):
            same_number(row[column], cold.loc[key, column], where=f"{key} {column}")


# --- the reader and the comparisons themselves (no run needed) ------------------------------------------------

def test_shown_reads_a_sparsified_multiindex_table():
    frame = pd.DataFrame({"segment": ["a", "a", "b"], "scenario": ["x", "y", "x"], "ndcg@10": [1.5, np.nan, -0.25],
                          "users": [10, 20, 30]}).set_index(["segment", "scenario"])
    shown = Shown(frame._repr_html_())
    assert shown.columns == ["ndcg@10", "users"]
    assert shown.rows == {("a", "x"): {"ndcg@10": "1.50", "users": "10"}, ("a", "y"): {"ndcg@10": "NaN", "users": "20"},
                          ("b", "x"): {"ndcg@10": "-0.25", "users": "30"}}
    wide = frame.reset_index().pivot(index="segment", columns="scenario", values="users")
    assert Shown(wide._repr_html_()).rows == {("a",): {"x": "10.0", "y": "20.0"}, ("b",): {"x": "30.0", "y": "NaN"}}


def test_shown_refuses_a_truncated_table():
    with pd.option_context("display.max_rows", 4, "display.min_rows", 2):
        html = pd.DataFrame({"v": range(10)})._repr_html_()
    with pytest.raises(AssertionError, match="truncated"):
        Shown(html)


def test_comparisons_fail_on_a_wrong_or_stale_number():
    counts = pd.DataFrame({"users": [120, 45]}, index=pd.Index(["loyalty_members", "first_time_buyers"], name="segment"))
    shown = Shown(counts._repr_html_())
    same_number(shown.rows[("loyalty_members",)]["users"], 120, where="right segment")
    with pytest.raises(AssertionError, match="wrong segment"):  # another segment's count
        same_number(shown.rows[("first_time_buyers",)]["users"], 120, where="wrong segment")
    with pytest.raises(AssertionError):  # a stale value, off by one
        same_number("0.123457", 0.123458 + 1e-6, where="stale")
    same_number("0.123457", 0.1234567, where="display precision")
    with pytest.raises(AssertionError):  # one unit off in the last displayed digit
        same_number("3.600791", 3.6007901, where="last digit")
    same_number("12.3", 12.34, where="rounded")
    with pytest.raises(AssertionError):
        same_number("12.3", 12.36, where="rounded")
    same_number("1.234568e-05", 1.2345678e-05, where="scientific")
    with pytest.raises(AssertionError):
        same_number("1.234568e-05", 1.2345699e-05, where="scientific")
    with pytest.raises(AssertionError):  # a count is exact
        same_number("216", 217, where="count")
    with pytest.raises(AssertionError):
        same_number("NaN", 1.0, where="missing")
    with pytest.raises(AssertionError):
        same_keys(shown, [("loyalty_members",), ("high_value",)], "segments")
