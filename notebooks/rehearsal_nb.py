"""Shared helpers of the Rehearsal notebooks: find a run's workspace, start PySpark with Delta, read tables.

Imported by every notebook in this folder (Jupyter and papermill start the kernel in the notebook's folder).
Nothing here writes to a run: the notebooks only read `<warehouse>/runs/<run_id>/`.
"""
from __future__ import annotations

import atexit
import glob
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DELTA_VERSION = "3.3.2"

# One colour per segment across every notebook (matplotlib's tab10, in the order segments are met).
_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf"]
_segment_colours: dict[str, str] = {}
STATUS_COLOURS = {"PASS": "#2ca02c", "FAIL": "#d62728", "INCONCLUSIVE": "#ff9f1c", "WARN": "#ff9f1c",
                  "ALERT": "#d62728", "OK": "#2ca02c", "NOT_COMPARABLE": "#7f7f7f"}


def segment_colour(segment: str) -> str:
    if segment not in _segment_colours:
        _segment_colours[segment] = _PALETTE[len(_segment_colours) % len(_PALETTE)]
    return _segment_colours[segment]


def resolve_run(warehouse: str, run_id: str = "") -> Path:
    """`<warehouse>/runs/<run_id>/`. A relative warehouse is taken from the repository's root (not the notebook's
    folder); an empty run_id means the warehouse's most recently recorded run."""
    wh = Path(warehouse).expanduser()
    if not wh.is_absolute():
        wh = REPO / wh
    runs = wh / "runs"
    if not runs.is_dir():
        raise FileNotFoundError(
            f"no runs under {runs}: make one with `bin/rehearsal demo` or `bin/rehearsal run <manifest> "
            f"--warehouse {wh}`, or set the `warehouse` parameter")
    available = sorted(p.name for p in runs.iterdir() if p.is_dir())
    if not run_id:
        recorded = [p for p in runs.iterdir() if (p / "record.json").is_file()]
        if not recorded:
            raise FileNotFoundError(f"no recorded run under {runs} (runs there: {available or 'none'})")
        run_dir = max(recorded, key=lambda p: (p / "record.json").stat().st_mtime)
    else:
        run_dir = runs / run_id
        if not run_dir.is_dir():
            raise FileNotFoundError(f"run '{run_id}' not found under {runs}; runs there: {available or 'none'}")
    return run_dir


def delta_jars() -> list[str]:
    """Jars that give this PySpark Delta Lake, found offline.

    In order: $REHEARSAL_NOTEBOOK_JARS (comma-separated), the application jar ($REHEARSAL_JAR or
    pipelines/target/rehearsal-app.jar: it bundles Delta, and is what the run itself used), or Delta's own jars
    in the local Maven repository (~/.m2, filled by the project's Maven build). spark.jars.packages would
    need Ivy to download them, which a machine without network cannot."""
    explicit = os.environ.get("REHEARSAL_NOTEBOOK_JARS", "")
    if explicit:
        jars = [j for j in explicit.split(",") if j]
        missing = [j for j in jars if not Path(j).is_file()]
        if missing:
            raise FileNotFoundError(f"REHEARSAL_NOTEBOOK_JARS names missing files: {missing}")
        return jars
    for candidate in (os.environ.get("REHEARSAL_JAR", ""), str(REPO / "pipelines/target/rehearsal-app.jar")):
        if candidate and Path(candidate).is_file():
            return [candidate]
    m2 = Path(os.environ.get("MAVEN_REPOSITORY", Path.home() / ".m2/repository")) / "io/delta"
    jars = [m2 / f"delta-spark_2.12/{DELTA_VERSION}/delta-spark_2.12-{DELTA_VERSION}.jar",
            m2 / f"delta-storage/{DELTA_VERSION}/delta-storage-{DELTA_VERSION}.jar"]
    if all(j.is_file() for j in jars):
        return [str(j) for j in jars]
    raise FileNotFoundError(
        "no Delta Lake jar found: build the application jar (`bin/rehearsal --help` builds it when missing), "
        "or set REHEARSAL_NOTEBOOK_JARS to delta-spark_2.12-3.3.2.jar,delta-storage-3.3.2.jar")


def profile_confs(profiles: str | None = None) -> dict[str, str]:
    """The Spark settings of the launcher's profiles named in $REHEARSAL_PROFILES (conf/profiles/NAME.conf, or a
    file), read as bin/rehearsal reads them (docs/launcher.md, "Profiles"): `key value` lines, ${VAR} and
    ${VAR:-default} from the environment, a line whose value expands to nothing left out, later profiles win."""
    confs: dict[str, str] = {}
    for name in (os.environ.get("REHEARSAL_PROFILES", "") if profiles is None else profiles).split():
        file = Path(name) if "/" in name or name.endswith(".conf") else REPO / "conf/profiles" / f"{name}.conf"
        if not file.is_file():
            raise FileNotFoundError(f"REHEARSAL_PROFILES names the profile '{name}': no file {file}")
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise ValueError(f"profile {file}, line {number}: expected 'spark.conf.key value', got '{line}'")
            value = re.sub(r"\$\{(\w+)(?::-([^}]*))?\}",
                           lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), parts[1].strip())
            if value:
                confs[parts[0]] = value
    return confs


def spark_session(app_name: str = "rehearsal-notebook"):
    """A local SparkSession that reads Delta tables (UTC, quiet logs, small shuffles, no UI), with the Spark
    settings of the profiles in $REHEARSAL_PROFILES (e.g. `small`, as bin/rehearsal applies them)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    log_conf = REPO / "conf/log4j2.properties"
    scratch = Path(tempfile.gettempdir()) / f"rehearsal-notebooks-{os.getpid()}"
    atexit.register(shutil.rmtree, scratch, True)
    builder = (
        SparkSession.builder.appName(app_name)
        .master(os.environ.get("REHEARSAL_NOTEBOOK_MASTER", "local[2]"))
        .config("spark.jars", ",".join(delta_jars()))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.driver.memory", os.environ.get("REHEARSAL_NOTEBOOK_DRIVER_MEMORY", "2g"))
        # As bin/rehearsal does for local masters: G1 collects Spark's large buffers as humongous objects.
        .config("spark.driver.defaultJavaOptions", "-XX:+UseParallelGC")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(scratch / "spark-warehouse"))
    )
    for key, value in profile_confs().items():
        builder = builder.config(key, value)
    if log_conf.is_file():
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-Dlog4j2.configurationFile=file:{log_conf} -Dderby.system.home={scratch}")
    return builder.getOrCreate()


class Run:
    """One run's workspace: its Delta tables, record and manifest name."""

    def __init__(self, spark, warehouse: str, run_id: str = ""):
        self.spark = spark
        self.dir = resolve_run(warehouse, run_id)
        self.run_id = self.dir.name
        self.warehouse = self.dir.parent.parent

    def __repr__(self) -> str:
        return f"Run({self.run_id} at {self.dir})"

    def path(self, rel: str) -> Path:
        return self.dir / rel

    def has(self, rel: str) -> bool:
        return (self.dir / rel / "_delta_log").is_dir()

    def table(self, rel: str):
        """The Delta table `<run>/<rel>` as a Spark DataFrame; a clear error when the run did not write it."""
        if not self.has(rel):
            raise FileNotFoundError(
                f"run {self.run_id} has no Delta table {rel} (looked in {self.dir / rel}); "
                f"the step that writes it may have been skipped by the manifest or failed: see {self.dir / '_state'}")
        return self.spark.read.format("delta").load(str(self.dir / rel))

    def pandas(self, rel: str, drop=("run_id",)):
        """A small table, whole, as pandas (for the report-sized tables: gates, metrics, fidelity...)."""
        df = self.table(rel)
        keep = [c for c in df.columns if c not in drop]
        return df.select(*keep).toPandas()

    def manifest_name(self, kind: str, manifest: str = "") -> str:
        """The manifest folder under evaluation/, drift/ or simulation/ (a run has one unless several were run)."""
        names = sorted(p.name for p in (self.dir / kind).glob("*") if p.is_dir())
        if manifest:
            if manifest not in names:
                raise FileNotFoundError(f"run {self.run_id} has no {kind}/{manifest}; it has {names}")
            return manifest
        if not names:
            raise FileNotFoundError(f"run {self.run_id} has no {kind}/ output (step skipped or failed?)")
        return names[0]

    def segment_order(self, segments) -> list[str]:
        """The given segment names in the order the run's manifest declares them (others, e.g. the pooled
        "(all segments)" rows, last)."""
        content = ((self.plan() or {}).get("manifest") or {}).get("content") or ""

        def position(segment):
            at = content.find(f"name: {segment}\n")
            return (at if at >= 0 else len(content) + 1, segment)

        return sorted({str(s) for s in segments}, key=position)

    def feature_tables(self) -> dict[str, dict[str, Path]]:
        """{snapshot_id: {"user_daily": path, "item_daily": path}} for every featured snapshot of the run."""
        found: dict[str, dict[str, Path]] = {}
        for log in sorted(glob.glob(str(self.dir / "features" / "*" / "*" / "_delta_log"))):
            table = Path(log).parent
            found.setdefault(table.parent.name, {})[table.name] = table
        return found

    def record(self) -> dict | None:
        """The result entry of the run's record.json (verdict, checks, segments...), or None before `record`."""
        path = self.dir / "record.json"
        if not path.is_file():
            return None
        entries = json.loads(path.read_text()).get("entries", [])
        results = [e for e in entries if e.get("kind") == "result"]
        return results[-1]["body"] if results else None

    def plan(self) -> dict | None:
        path = self.dir / "record.json"
        if not path.is_file():
            return None
        plans = [e for e in json.loads(path.read_text()).get("entries", []) if e.get("kind") == "plan"]
        return plans[-1]["body"] if plans else None


def open_run(warehouse: str, run_id: str = "", app_name: str = "rehearsal-notebook") -> Run:
    run = Run(spark_session(app_name), warehouse, run_id)
    print(f"run {run.run_id}: {run.dir}")
    rec = run.record()
    if rec:
        print(f"verdict {rec.get('verdict')} (status {rec.get('status')}); "
              + ", ".join(f"{s['segment']} {s['verdict']}" for s in rec.get("segments", [])))
    else:
        print("no record.json yet: the run has not reached its record step")
    return run
