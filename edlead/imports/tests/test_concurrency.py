"""Imports never lock people out (issue 7, item 9): while a large import writes to a file-based SQLite
database (the embedded default), sign-ins and audit events written by another process keep answering.

Two real processes share one SQLite file: one runs `manage.py import` of a generated long-format file
(about 230,000 facts), the other writes a session and an audit event every few milliseconds with a
2-second busy timeout. Before imports committed in chunks the import held the write lock for its whole
plan and write (seconds here, 27 s for a million rows), and the writer failed with "database is
locked"; now every write gets in between two chunks.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
METRICS = ("attendance_rate", "chronic_absence_10_pct", "absent_10_days_pct", "absences_avg")
GROUPS = (
    "all",
    "high_needs",
    "low_income",
    "el",
    "swd",
    "asian",
    "black",
    "hispanic",
    "white",
    "female",
    "male",
    "multi_race",
    "econ_disadvantaged",
    "ai_an",
    "nh_pi",
    "el_former_el",
)
DISTRICTS = 300


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "edlead.settings"}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def write_directory(folder: Path, codes: list[str]) -> Path:
    """A 2024-25 district directory naming a district for each code."""
    directory = folder / "2024-25" / "districts.csv"
    directory.parent.mkdir(parents=True)
    with directory.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Org Name", "Org Code", "Org Type", "Function", "Contact Name", "Town", "Grade"])
        for i, code in enumerate(codes):
            out.writerow([f"District {i}", code, "Public School District", "", "", "Town", "K"])
    return directory


def _files(folder: Path) -> tuple[Path, Path]:
    directory = write_directory(folder, [f"97{i:03d}000" for i in range(DISTRICTS)])
    facts = folder / "facts.csv"
    with facts.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Org Code", "Period", "School Year", "Metric", "Student Group", "Value", "Count"])
        for i in range(DISTRICTS):
            for month in range(1, 13):
                period = f"{2024 + (month < 7)}-{month:02d}"
                for metric in METRICS:
                    for g, group in enumerate(GROUPS):
                        out.writerow(
                            [f"97{i:03d}000", period, "2024-25", metric, group, f"{(i + g) % 90}.5", "40"]
                        )
    return directory, facts


@pytest.mark.slow
def test_sign_ins_and_audit_events_keep_answering_while_a_large_import_writes(tmp_path: Path) -> None:
    database = tmp_path / "edlead.sqlite3"
    env = _env(database)
    migrate = _run(env, "manage.py", "migrate", "-v0")
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    directory, facts = _files(tmp_path / "files")
    loaded = _run(env, "manage.py", "import", str(directory))
    assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-2000:]

    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "edlead.imports.tests.concurrency_worker", "write", str(stop), "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2)  # the writer is up and writing
        started = time.monotonic()
        imported = _run(env, "manage.py", "import", str(facts))
        seconds = time.monotonic() - started
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr[-2000:]
    assert "created" in imported.stdout and "0 skipped" in imported.stdout.splitlines()[-1]
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {"error": err[-2000:]}
    assert result.get("failed") == 0, (result, f"import took {seconds:.1f} s")
    assert result["ok"] > 10, result  # the writer really wrote during the import
