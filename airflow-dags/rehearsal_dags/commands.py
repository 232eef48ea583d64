"""The ``bin/rehearsal run`` command line and the operator that runs it.

:class:`RehearsalOperator` is a ``BashOperator`` whose bash command is fixed (:data:`RUN_SCRIPT`); the values
(manifest, lake, warehouse, run id, step, salt file) reach it as environment variables, never spliced into
the script, so DAG run conf from a user cannot inject shell code. It maps the launcher's exit codes onto
Airflow outcomes:

====  ===================================  =================================================================
exit  meaning                              task
====  ===================================  =================================================================
0     ok (PASS, or INCONCLUSIVE)           success; XCom ``return_value`` = the launcher's last-line JSON
1     runtime failure (recorded)           failed, retried (``retries``)
2     invalid input or usage               failed, not retried (``AirflowFailException``)
3     verdict FAIL                         XCom pushed, then failed without retry — or success when
                                           ``fail_on_verdict=False`` (the steps after the gate)
====  ===================================  =================================================================

Environment read by the script (documented in airflow-dags/README.md):

- ``REHEARSAL_COMMAND_PREFIX``: words put before ``bin/rehearsal`` (e.g. ``flock /tmp/rehearsal-mvn.lock``
  to serialize Spark runs on a small machine); empty by default.
- ``REHEARSAL_LAUNCHER_ARGS`` (or Airflow Variable ``rehearsal_launcher_args``): launcher options put after
  ``bin/rehearsal``, e.g. ``--master yarn --driver-memory 8g``; empty by default (local Spark).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from collections.abc import Sequence
from typing import Any

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

from rehearsal_dags import STEPS, settings
from rehearsal_dags.run_ids import is_valid_run_id

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_INVALID = 2
EXIT_CHECK_FAILED = 3

#: The fixed script every Rehearsal task runs. stdout goes through ``tee`` into a file so that the launcher's
#: own last line (its JSON) can be repeated at the very end: the task's output mixes stdout with stderr, and
#: Spark may still log to stderr after that line; the last line of the task output is what goes to XCom.
RUN_SCRIPT = r"""set -uo pipefail
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
args=(run "$REHEARSAL_ARG_MANIFEST" --lake "$REHEARSAL_ARG_LAKE" --warehouse "$REHEARSAL_ARG_WAREHOUSE" --run-id "$REHEARSAL_ARG_RUN_ID")
if [[ -n "${REHEARSAL_ARG_STEP:-}" ]]; then args+=(--step "$REHEARSAL_ARG_STEP"); fi
if [[ -n "${REHEARSAL_ARG_SALT_FILE:-}" ]]; then args+=(--salt-file "$REHEARSAL_ARG_SALT_FILE"); fi
# Word splitting of the prefix and the launcher options is intended.
${REHEARSAL_COMMAND_PREFIX:-} "$REHEARSAL_HOME/bin/rehearsal" ${REHEARSAL_ARG_LAUNCHER_ARGS:-} "${args[@]}" | tee "$out"
rc=${PIPESTATUS[0]}
tail -n 1 "$out"
exit "$rc"
"""


def parse_result_line(line: str | None) -> dict[str, Any] | None:
    """The launcher's last-line JSON ({"record", "report", "run_id", "status", "verdict"}), or None."""
    if not line:
        return None
    try:
        value = json.loads(line.strip())
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def launcher_args() -> str:
    value = settings.setting(None, None, "rehearsal_launcher_args", "REHEARSAL_LAUNCHER_ARGS")
    return value or ""


class RehearsalOperator(BashOperator):
    """Runs ``bin/rehearsal run MANIFEST --lake … --warehouse … --run-id … [--step STEP] [--salt-file …]``.

    :param manifest: the manifest, absolute or relative to the Rehearsal home (templated)
    :param run_id: the Rehearsal run id (templated); the task fails without retry when it is not a valid id
    :param step: one step (``validate`` … ``teardown``), or None for the whole run (every unfinished step)
    :param lake: the lake (templated); empty: :func:`rehearsal_dags.settings.lake`
    :param warehouse: the warehouse (templated); empty: :func:`rehearsal_dags.settings.warehouse`
    :param salt_file: the pseudonymization salt file (templated); empty: :func:`rehearsal_dags.settings.salt_file`
    :param fail_on_verdict: a FAIL verdict (exit 3) fails the task (default); False: exit 3 is a success
        (the gate task already reported it) and the step's JSON still goes to XCom
    :param requires_verdict_from: a task id whose XCom must hold a verdict for this task to run; without one
        (that task failed or did not run) this task is skipped instead of asking the launcher
    """

    template_fields: Sequence[str] = ("manifest", "run_id", "lake", "warehouse", "salt_file", "cwd")
    # Nothing here is a template file: a path ending in .sh must not be read as a Jinja template.
    template_ext: Sequence[str] = ()
    ui_color = "#e4f0e8"

    def __init__(
        self,
        *,
        manifest: str,
        run_id: str,
        step: str | None = None,
        lake: str | None = None,
        warehouse: str | None = None,
        salt_file: str | None = None,
        fail_on_verdict: bool = True,
        requires_verdict_from: str | None = None,
        **kwargs: Any,
    ) -> None:
        if step is not None and step not in STEPS:
            raise ValueError(f"unknown Rehearsal step {step!r}: use one of {', '.join(STEPS)}")
        super().__init__(bash_command=RUN_SCRIPT, append_env=True, skip_on_exit_code=None, **kwargs)
        self.manifest = manifest
        self.run_id = run_id
        self.step = step
        self.lake = lake
        self.warehouse = warehouse
        self.salt_file = salt_file
        self.fail_on_verdict = fail_on_verdict
        self.requires_verdict_from = requires_verdict_from

    def rehearsal_arguments(self) -> dict[str, str]:
        """The environment variables the script reads, resolved (call after the fields were rendered)."""
        home = settings.rehearsal_home()
        salt = settings.resolve(self.salt_file, home) if self.salt_file else settings.salt_file()
        return {
            "REHEARSAL_HOME": str(home),
            "REHEARSAL_ARG_MANIFEST": str(settings.resolve(self.manifest, home)),
            "REHEARSAL_ARG_LAKE": str(settings.location(self.lake, home) if self.lake else settings.lake()),
            "REHEARSAL_ARG_WAREHOUSE": str(
                settings.location(self.warehouse, home) if self.warehouse else settings.warehouse()
            ),
            "REHEARSAL_ARG_RUN_ID": self.run_id,
            "REHEARSAL_ARG_STEP": self.step or "",
            "REHEARSAL_ARG_SALT_FILE": str(salt) if salt else "",
            "REHEARSAL_ARG_LAUNCHER_ARGS": launcher_args(),
        }

    @staticmethod
    def command_line(arguments: dict[str, str]) -> str:
        """The command the script runs, for the log."""
        words = [*shlex.split(os.environ.get("REHEARSAL_COMMAND_PREFIX", "")), f"{arguments['REHEARSAL_HOME']}/bin/rehearsal"]
        words += shlex.split(arguments["REHEARSAL_ARG_LAUNCHER_ARGS"])
        words += ["run", arguments["REHEARSAL_ARG_MANIFEST"], "--lake", arguments["REHEARSAL_ARG_LAKE"],
                  "--warehouse", arguments["REHEARSAL_ARG_WAREHOUSE"], "--run-id", arguments["REHEARSAL_ARG_RUN_ID"]]
        if arguments["REHEARSAL_ARG_STEP"]:
            words += ["--step", arguments["REHEARSAL_ARG_STEP"]]
        if arguments["REHEARSAL_ARG_SALT_FILE"]:
            words += ["--salt-file", arguments["REHEARSAL_ARG_SALT_FILE"]]
        return shlex.join(words)

    def execute(self, context: Any) -> dict[str, Any] | str | None:
        what = f"step '{self.step}'" if self.step else "the whole run"
        if self.requires_verdict_from:
            upstream = context["ti"].xcom_pull(task_ids=self.requires_verdict_from)
            if not (isinstance(upstream, dict) and upstream.get("verdict")):
                raise AirflowSkipException(
                    f"task '{self.requires_verdict_from}' gave no verdict (it failed before deciding, or did not run): "
                    f"{what} has nothing to work on"
                )
        if not is_valid_run_id(str(self.run_id)):
            raise AirflowFailException(
                f"'{self.run_id}' is not a Rehearsal run id: 1-128 letters, digits, '.', '_', '-', "
                "starting with a letter or digit"
            )
        arguments = self.rehearsal_arguments()
        env = self.get_env(context)
        env.update(arguments)
        self.log.info("Rehearsal run %s, %s: %s", self.run_id, what, self.command_line(arguments))
        result = self.subprocess_hook.run_command(
            command=[shutil.which("bash") or "bash", "-c", self.bash_command],
            env=env,
            output_encoding=self.output_encoding,
            cwd=self.cwd,
        )
        payload = parse_result_line(result.output)
        code = result.exit_code
        if code == EXIT_OK:
            return payload if payload is not None else result.output
        if code == EXIT_CHECK_FAILED:
            if not self.fail_on_verdict:
                self.log.info("Verdict FAIL (exit 3), reported by the gate task; %s finished", what)
                return payload
            if payload is not None:
                context["ti"].xcom_push(key="return_value", value=payload)
            raise AirflowFailException(
                f"Rehearsal run {self.run_id}: verdict FAIL (exit 3) at {what}"
                + (f"; record {payload.get('record')}, report {payload.get('report')}" if payload else "")
            )
        if code == EXIT_INVALID:
            raise AirflowFailException(
                f"Rehearsal run {self.run_id}, {what}: invalid input or usage (exit 2); see the log above. "
                "Not retried: the same input gives the same answer"
            )
        raise AirflowException(
            f"Rehearsal run {self.run_id}, {what}: runtime failure (exit {code}); see the log above. "
            "A retry resumes the run after its last finished step"
        )
