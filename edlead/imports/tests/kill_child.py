"""A separate process for `test_worker_killed`: the parts of the browser flow that start and apply an
import run, against the file-based database in DATABASE_URL (the worker runs in another process).

    python -m edlead.imports.tests.kill_child upload PATH   # store the upload; prints the run's id
    python -m edlead.imports.tests.kill_child apply RUN_ID  # press "Apply import"
    python -m edlead.imports.tests.kill_child housekeeping STALE_SECONDS

`housekeeping` runs what the housekeeping task runs, with the stale-run threshold in seconds (the
setting counts minutes), and prints its summary.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edlead.settings")
    import django

    django.setup()
    from pathlib import Path

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from edlead.access.models import User
    from edlead.imports import services
    from edlead.imports.models import ImportRun

    command, arg = argv[0], argv[1]
    if command == "upload":
        user = User.objects.create_superuser(email="root@example.org", password="x" * 20)
        path = Path(arg)
        run = services.run_create(upload=SimpleUploadedFile(path.name, path.read_bytes()), actor=user)
        print(run.pk)
        return 0
    if command == "apply":
        run = ImportRun.objects.get(pk=int(arg))
        services.run_apply_request(run=run, actor=run.user)
        return 0
    if command == "housekeeping":
        settings.EDLEAD_IMPORT_STALE_MINUTES = float(arg) / 60
        print(services.housekeeping())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
