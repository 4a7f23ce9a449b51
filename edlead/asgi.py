"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
application = get_asgi_application()

from edlead.core.runtime import tune_gc  # noqa: E402 (after the app is loaded)

tune_gc()
