"""/healthz: the database and the worker's heartbeat, for load balancers and monitors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from edlead.core.models import AuditEvent
from edlead.schedules import services
from edlead.schedules.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthy_when_the_worker_beat_recently() -> None:
    audited_before = AuditEvent.objects.count()  # the default frameworks' loading after migrate is audited
    services.worker_heartbeat(worker="host:1", started=timezone.now())
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["worker"] == "ok"
    assert body["last_heartbeat"] == WorkerHeartbeat.objects.get().beat_at.isoformat()
    assert set(body) == {"database", "worker", "last_heartbeat"}  # nothing personal
    assert response["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.count() == audited_before  # a health check is not audited


def test_503_without_a_worker() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "worker": "no heartbeat", "last_heartbeat": None}


def test_503_when_the_heartbeat_is_stale(settings: Any) -> None:
    old = timezone.now() - dt.timedelta(seconds=settings.EDLEAD_WORKER_MAX_AGE_SECONDS + 5)
    WorkerHeartbeat.objects.create(worker="host:2", started=old, beat_at=old)
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["worker"] == "stale"


def test_a_stopped_worker_removes_its_heartbeat() -> None:
    services.worker_heartbeat(worker="host:3", started=timezone.now())
    services.worker_stopped(worker="host:3")
    assert Client().get("/healthz").status_code == 503


def test_503_when_the_database_does_not_answer() -> None:
    with connection.execute_wrapper(_refuse):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "worker": "unknown", "last_heartbeat": None}


def _refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    from django.db import OperationalError

    raise OperationalError("connection refused")
