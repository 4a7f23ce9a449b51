"""A separate process for `test_concurrency`: import a file, or write sign-in sessions and audit events
in a loop while another process imports, against the same file-based database (DATABASE_URL).

    python -m edlead.imports.tests.concurrency_worker import PATH...
    python -m edlead.imports.tests.concurrency_worker write STOPFILE TIMEOUT_SECONDS

`write` prints one JSON line: writes that succeeded, failed ("database is locked") and the longest wait.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
    import django

    django.setup()


def _import(paths: list[str]) -> int:
    from django.core.management import call_command

    call_command("import", *paths, verbosity=0)
    return 0


def _write(stop_file: str, timeout: float) -> int:
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError, connection

    from edlead.core.models import AuditEvent
    from edlead.core.services import audit_record

    # How long a sign-in may wait for the database before it fails: shorter than the settings' 20 s,
    # so that a test of a few seconds shows what a long import would do to a real sign-in.
    connection.settings_dict["OPTIONS"]["timeout"] = timeout
    ok = failed = 0
    longest = 0.0
    errors: list[str] = []
    deadline = time.monotonic() + 300
    while not Path(stop_file).exists() and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            session = SessionStore()
            session["probe"] = ok
            session.create()
            audit_record(action=AuditEvent.Action.SIGN_IN, target_label=f"probe {ok}")
            ok += 1
        except OperationalError as exc:
            failed += 1
            errors.append(str(exc)[:80])
        longest = max(longest, time.monotonic() - started)
        time.sleep(0.02)
    print(json.dumps({"ok": ok, "failed": failed, "longest": round(longest, 3), "errors": errors[:3]}))
    return 0


def main(argv: list[str]) -> int:
    _setup()
    if argv[:1] == ["import"]:
        return _import(argv[1:])
    if argv[:1] == ["write"]:
        return _write(argv[1], float(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
