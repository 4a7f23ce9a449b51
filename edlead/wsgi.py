"""WSGI entry point (gunicorn, `make serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
# A served process keeps its database connection between requests (60 s, checked before reuse): a new
# PostgreSQL connection per request, with the server process's catalog caches cold, added 20–40 ms to a
# home page (measured on the state-scale bench database). DATABASE_CONN_MAX_AGE=0 turns it off.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
application = get_wsgi_application()

from edlead.core.runtime import tune_gc  # noqa: E402 (after the app is loaded)

tune_gc()
