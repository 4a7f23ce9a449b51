"""A run whose worker died is not stuck forever (issue 7, item 9), shown with a real worker.

The real task worker (`manage.py db_worker`) applies a large upload (about 230,000 facts) against a
file-based SQLite database; the test kills it with SIGKILL while it writes. The run is left "running",
its heartbeat stopped. The housekeeping (what the housekeeping task runs) then marks it failed with a
message that says what happened, "Apply import" is offered again, and a new worker completes it: every
fact written once, none doubled.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from edlead.imports.services import STALE_MESSAGE
from edlead.imports.tests.test_concurrency import GROUPS, METRICS, write_directory

ROOT = settings.BASE_DIR
DISTRICTS = 100
MONTHS = 24  # two school years
FACTS = DISTRICTS * MONTHS * len(METRICS) * len(GROUPS)  # 153,600: eight chunks of writes
# The threshold (EDLEAD_IMPORT_STALE_MINUTES, 10 by default against a 30-second heartbeat) made short:
# a run whose heartbeat (every second here) is younger than ALIVE_SECONDS is alive — a loaded machine
# can delay a beat by a few seconds —, and once the worker is dead STALE_SECONDS of silence is enough.
ALIVE_SECONDS = 30
STALE_SECONDS = 5


def _files(folder: Path) -> tuple[Path, Path]:
    directory = write_directory(folder, [f"97{i:02d}0000" for i in range(DISTRICTS)])
    facts = folder / "facts.csv"
    with facts.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Org Code", "Period", "School Year", "Metric", "Student Group", "Value", "Count"])
        for i in range(DISTRICTS):
            for m in range(MONTHS):
                start, month = 2024 + m // 12, (m + 6) % 12 + 1  # July 2024 … June 2026
                period = f"{start + (month < 7)}-{month:02d}"
                for metric in METRICS:
                    for g, group in enumerate(GROUPS):
                        out.writerow(
                            [
                                f"97{i:02d}0000",
                                period,
                                f"{start}-{(start + 1) % 100:02d}",
                                metric,
                                group,
                                f"{(i + g) % 90}.5",
                                "40",
                            ]
                        )
    return directory, facts


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp / 'edlead.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "edlead.settings",
        "EDLEAD_VAR_DIR": str(tmp / "var"),
        "EDLEAD_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EDLEAD_IMPORT_BACKGROUND_BYTES": "1",  # every upload goes to the worker
        "EDLEAD_IMPORT_HEARTBEAT_SECONDS": "1",
    }


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # --no-reload: the process started is the worker itself (the reloader would run it in a child).
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _query(database: Path, sql: str, *params: Any) -> Any:
    with sqlite3.connect(database, timeout=30) as conn:
        return conn.execute(sql, params).fetchone()


def _run_row(database: Path, run_id: int) -> dict[str, Any]:
    row = _query(
        database,
        "SELECT status, phase, dry_run, preview_ok, stored_file, summary, created_count, unchanged_count "
        "FROM imports_importrun WHERE id = ?",
        run_id,
    )
    keys = ("status", "phase", "dry_run", "preview_ok", "stored_file", "summary", "created", "unchanged")
    return dict(zip(keys, row, strict=True))


def _facts(database: Path) -> int:
    return int(_query(database, "SELECT count(*) FROM metrics_fact")[0])


def _wait(what: str, check: Any, worker: subprocess.Popen[bytes], log: Path, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert worker.poll() is None, (
            f"the worker exited while waiting for {what}:\n{log.read_text()[-3000:]}"
        )
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{log.read_text()[-3000:]}"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.heavy
def test_a_run_whose_worker_was_killed_is_failed_by_housekeeping_and_applies_again(tmp_path: Path) -> None:
    env = _env(tmp_path)
    database = tmp_path / "edlead.sqlite3"
    _run(env, "manage.py", "migrate", "-v0")
    directory, facts = _files(tmp_path / "files")
    _run(env, "manage.py", "import", str(directory))
    run_id = int(_run(env, "-m", "edlead.imports.tests.kill_child", "upload", str(facts)).split()[-1])

    log = tmp_path / "worker.log"
    worker = _worker(env, log)
    try:
        _wait("the preview", lambda: _run_row(database, run_id)["status"] == "previewed", worker, log)
        preview = _run_row(database, run_id)
        assert preview["created"] == FACTS, preview
        _run(env, "-m", "edlead.imports.tests.kill_child", "apply", str(run_id))
        # Mid-run: the worker is writing and has committed some chunks, not all.
        _wait("the first chunks", lambda: _facts(database) > 0, worker, log)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
    stuck = _run_row(database, run_id)
    assert stuck["status"] == "running", stuck  # what kill -9 leaves behind
    assert 0 < _facts(database) < FACTS, "the import finished before it could be stopped"
    # Housekeeping leaves a run alone while its last heartbeat is recent.
    recent = _run(env, "-m", "edlead.imports.tests.kill_child", "housekeeping", str(ALIVE_SECONDS))
    assert "0 stopped run(s)" in recent and _run_row(database, run_id)["status"] == "running"

    time.sleep(STALE_SECONDS + 1)  # the heartbeat has stopped
    swept = _run(env, "-m", "edlead.imports.tests.kill_child", "housekeeping", str(STALE_SECONDS))
    assert "1 stopped run(s) marked failed" in swept
    failed = _run_row(database, run_id)
    assert failed["status"] == "failed" and failed["summary"] == STALE_MESSAGE[:255]
    assert "Apply it again" in failed["summary"]
    assert failed["dry_run"] and failed["preview_ok"] and failed["stored_file"]  # "Apply import" again

    _run(env, "-m", "edlead.imports.tests.kill_child", "apply", str(run_id))
    log = tmp_path / "worker2.log"
    worker = _worker(env, log)
    try:
        _wait("the second apply", lambda: _run_row(database, run_id)["status"] == "applied", worker, log)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    done = _run_row(database, run_id)
    assert _facts(database) == FACTS  # the rest written, nothing doubled
    assert done["created"] + done["unchanged"] == FACTS and done["unchanged"] > 0
    assert not done["stored_file"]
