"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
application = get_wsgi_application()

from edlead.core.runtime import tune_gc  # noqa: E402 (after the app is loaded)

tune_gc()
