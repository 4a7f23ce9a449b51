"""The embedded default: SQLite in WAL mode with a busy timeout and IMMEDIATE transactions, so the
worker writing an import never locks out a person signing in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = """
import django, json
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode")
    mode = c.fetchone()[0]
    c.execute("PRAGMA busy_timeout")
    timeout = c.fetchone()[0]
print(json.dumps({"mode": mode, "timeout": timeout,
                  "txn": connection.settings_dict["OPTIONS"].get("transaction_mode")}))
"""


def test_default_database_is_sqlite_in_wal_mode(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"EDLEAD_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "edlead.settings"})
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["mode"] == "wal"
    assert result["timeout"] >= 5000
    assert result["txn"] == "IMMEDIATE"
    assert (tmp_path / "edlead.sqlite3").exists()
