"""`make serve` for real: gunicorn serving edlead.wsgi and `manage.py run_worker` beside it, as child
processes on a database of their own; /healthz turns 200 once the worker's first heartbeat lands, and a
job fired twice for the same time runs once in that worker, its e-mail printed by the console backend."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


FIRE_DIGEST_TWICE = """
from django.utils import timezone
from edlead import notices
from edlead.notices.services import notify
from edlead.people.models import Person
from edlead.schedules.services import job_fire

notices.register_kind("serve.test", "Serve test", notices.DIGEST)
person = Person.objects.create(first_name="Pat", last_name="Lincoln", email="pat@riverton.example")
notify(person=person, kind="serve.test", subject="Observation due Friday", once_key="serve")
notify(person=person, kind="serve.test", subject="Observation due Friday", once_key="serve")
at = timezone.now().replace(second=0, microsecond=0)
print("FIRED", [job_fire(name="notices.daily_digest", scheduled_for=at) is not None for _ in range(2)])
"""
# Only the digest's runs: other registered jobs fire on their own cron times while the test runs
# (the hourly housekeeping at :15, the quarter-hourly sweep).
RUNS = (
    "from edlead.schedules.models import JobRun; "
    "print('RUNS', list(JobRun.objects.filter(job='notices.daily_digest').values_list('outcome', 'message')))"
)


def _shell(python: str, env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [python, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    return proc.returncode


def test_gunicorn_serves_healthz_with_the_worker_beside_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EDLEAD_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "EDLEAD_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "edlead.settings",
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    web = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "edlead.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    worker: subprocess.Popen[bytes] | None = None
    try:
        status, body = 0, dict[str, str]()
        for _ in range(100):  # gunicorn up: the database answers, no worker yet
            try:
                status, body = _get(url)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert status == 503 and body == {"database": "ok", "worker": "no heartbeat", "last_heartbeat": None}
        log = tmp_path / "worker.log"
        worker = subprocess.Popen(
            [python, "manage.py", "run_worker", "--interval", "0.2"],
            cwd=ROOT,
            env={**env, "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            status, body = _get(url)
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, body
        assert body["database"] == "ok" and body["worker"] == "ok" and body["last_heartbeat"]
        assert "FIRED [True, False]" in _shell(python, env, FIRE_DIGEST_TWICE)  # the second firing: refused
        for _ in range(150):
            if "Your daily digest" in log.read_text(errors="replace"):
                break
            time.sleep(0.2)
        printed = log.read_text(errors="replace")
        assert printed.count("Subject: [EdLead] Your daily digest: 1 new notice") == 1, printed
        assert "To: pat@riverton.example" in printed and "Observation due Friday" in printed
        for _ in range(50):
            runs = _shell(python, env, RUNS)
            if "succeeded" in runs:
                break
            time.sleep(0.2)
        assert "RUNS [('succeeded', '1 digest e-mail sent')]" in runs
        assert _stop(worker) == 0
        status, body = _get(url)  # a worker that stops cleanly takes its heartbeat with it
        assert status == 503 and body["worker"] == "no heartbeat"
    finally:
        if worker is not None:
            _stop(worker)
        assert _stop(web) == 0
