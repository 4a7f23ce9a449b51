"""Shared pytest set-up: background tasks run immediately in tests unless a test starts a worker."""

import os

os.environ.setdefault("EDLEAD_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from edlead.access.tests.conftest import World, world  # noqa: E402,F401  (shared persona world)
