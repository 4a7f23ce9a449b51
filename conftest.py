"""Shared pytest set-up for the whole suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from edlead.access.tests.conftest import World, world  # noqa: E402,F401  (shared persona world)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


@pytest.fixture(autouse=True)
def _isolated_media_and_immediate_tasks(settings: Any, tmp_path: Path) -> None:
    """Uploads go to a temporary folder; background tasks run at once (a test that needs a real worker
    switches `settings.TASKS` to the database backend and runs `db_worker` itself)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS
    # Argon2 is deliberately slow; tests sign in hundreds of times. The production hasher is tested on
    # its own (test_passwords_are_hashed_with_argon2).
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # Two-factor sign-in by role is off unless a test turns it on (edlead/accounts/tests/test_mfa.py):
    # most tests sign in as administrators without an authenticator app.
    settings.EDLEAD_MFA_REQUIRED_ROLES = []


@pytest.fixture
def empty_cache(db: Any) -> Iterator[None]:
    """allauth keeps sign-in rate-limit counters and used TOTP codes in the cache (a database table):
    start and end the test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _sqlite_shared_cache_reads_do_not_lock(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The SQLite test database lives in memory with a shared cache, where a reader meets a writer's
    table lock at once ("database table is locked") instead of waiting as it does on a file with WAL, as
    in production. Threads of one test (the live server, a worker, a scheduler) then fail at random under
    load. Readers here skip table read locks (they may see uncommitted rows, harmless in a test)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


def _live_server_one_request_at_a_time() -> None:
    """The browser tests' live server answers one request at a time. On SQLite its request threads all
    share the test's one in-memory connection, so pages that load several parts with htmx as they open
    (the home page: caseload, schools, licences, the inbox count) had requests interleave their
    transactions on that connection and wait on each other for good. One at a time, the browser queues
    them (Django closes each connection of a server without threads, so none holds the server)."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATimeWSGIServer(WSGIServer):
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            # The live server's own thread serves every request and already holds the overrides.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = OneAtATimeWSGIServer  # type: ignore[assignment]


def pytest_configure(config: pytest.Config) -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(
        _sqlite_shared_cache_reads_do_not_lock, dispatch_uid="edlead-tests-sqlite-reads"
    )
    _live_server_one_request_at_a_time()


# --- the browser: one Debian chromium for the session, shared by e2e/ and the apps' browser tests ----
# Playwright's sync API runs an event loop in the main thread while it is started, so a test must not
# start a second one beside it: every browser test uses this fixture.
CHROMIUM = Path(os.environ.get("EDLEAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _why_no_browser() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"browser tests need Debian's chromium at {CHROMIUM} "
            "(`sudo apt-get install chromium`; `make test` installs it)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need Playwright for Python (`uv sync` installs the dev dependencies)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _why_no_browser()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _why_no_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


# --- the demo district, seeded once for a module's tests ----------------------------------------------
@pytest.fixture(scope="module")
def demo_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The demo (`seed_demo --scale demo`, ten seconds or more) seeded once for the tests of a module that
    ask for it, and its report. It is written inside a transaction that the module's end rolls back;
    each test runs in a savepoint inside it (the `django_db` mark), so every test sees the demo as seeded
    and nothing a neighbour changed. A module using it holds no test that needs an empty database (it
    would see the demo) and no transactional test (it would empty the tables)."""
    from django.db import transaction
    from django.test import override_settings

    from edlead.demo import services as demo

    media = tmp_path_factory.mktemp("demo-media")
    same_as_each_test = override_settings(
        MEDIA_ROOT=media, TASKS=IMMEDIATE_TASKS, PASSWORD_HASHERS=FAST_HASHERS, EDLEAD_MFA_REQUIRED_ROLES=[]
    )
    with django_db_blocker.unblock(), same_as_each_test:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo.demo_seed(scale="demo")
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
