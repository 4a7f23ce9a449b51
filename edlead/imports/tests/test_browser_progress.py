"""A real browser watches a background import: upload → queued → preview → Apply import → applied.

Self-contained: Debian's chromium through Playwright, the database task backend, and a worker
thread in this process (the `db_worker` command's Worker, started only after the page shows the
queued run, so the page is seen waiting and then finishing)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.imports.models import ImportRun
from edlead.orgs.models import Organization
from edlead.testing import make_state, make_user


class WorkerThread:
    """django-tasks-db's worker loop in a thread (its command installs signal handlers, which only the
    main thread may do)."""

    def __init__(self) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test-worker",
            excluded_queue_names=[],
        )
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        # The in-memory SQLite test database is one shared-cache database: while the live server's
        # thread writes, the worker's BEGIN can fail at once with "database table is locked" (shared
        # cache does not wait on the busy timeout). A real worker runs on its own process and a file or
        # PostgreSQL database; here the loop simply takes its turn again.
        try:
            while self.worker.running:
                try:
                    self.worker.run()
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.1)
        finally:
            connections.close_all()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.worker.running = False
        self.thread.join(timeout=10)


@pytest.fixture
def browser_page(live_server: Any, browser: Any) -> Iterator[Any]:
    """A fresh context of the session's chromium (the root conftest's `browser`)."""
    # Playwright's sync API runs the test body in a greenlet with its own context variables, so Django
    # opens new database connections there; close each side's so PostgreSQL can drop the test database.
    connections.close_all()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        connections.close_all()
        context.close()


def district_rows(count: int) -> str:
    lines = ["Org Name,Org Code,Org Type,Function,Contact Name,Town,Grade"]
    for n in range(count):
        lines.append(
            f'Test District {n},{9600 + n:04d}0000,Public School District,Superintendent,Lee Person{n},Town {n},"K,01"'
        )
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_background_import_progress_is_visible_until_applied(
    live_server: Any, browser_page: Any, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EDLEAD_IMPORT_BACKGROUND_BYTES = 1024  # this small file counts as large: it goes to the worker
    admin = make_user(email="state-admin@example.org", grants=[(RoleGrant.Role.STATE_ADMIN, make_state())])
    client = Client()
    client.force_login(admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = browser_page
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )

    upload = tmp_path / "2024-25 districts.csv"
    upload.write_text(district_rows(300))
    page.goto(live_server.url + reverse("imports:run-list"))
    page.locator("input#id_file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()

    # The worker is not running yet: the page shows the queued run and polls for progress.
    status = page.locator("#run-progress")
    status.wait_for()
    assert "Queued" in status.inner_text()
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("progress#run-progress-bar").count() == 1

    worker = WorkerThread()
    worker.start()
    try:
        apply_button = page.get_by_role("button", name="Apply import")
        apply_button.wait_for()  # htmx saw the preview finish and reloaded the page
        assert "Preview" in page.content()
        assert not Organization.objects.filter(code="96000000").exists()
        apply_button.click()
        page.get_by_role("heading", name="Import applied").wait_for(timeout=30_000)
    finally:
        worker.stop()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.APPLIED and run.in_background
    assert run.rows_done == run.rows_total == 300
    assert (
        Organization.objects.filter(
            name__startswith="Test District ", kind=Organization.Kind.DISTRICT
        ).count()
        == 300
    )
    assert "900 created, 0 updated, 0 unchanged, 0 skipped" in page.content()
