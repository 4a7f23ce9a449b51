"""The attachment store's configuration: a private folder by default, S3-compatible storage when a
bucket is named (its options accepted by django-storages, which refuses unknown ones)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import django; django.setup()\n"
    "from django.core.files.storage import storages\n"
    "s = storages['attachments']\n"
    "print(type(s).__name__, getattr(s, 'bucket_name', ''), s.location, getattr(s, 'default_acl', ''), sep='|')\n"
)


def _probe(var_dir: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EDLEAD_S3_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "edlead.settings",
            "EDLEAD_VAR_DIR": str(var_dir),
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_attachments_default_to_a_folder_under_the_var_dir(tmp_path: Path) -> None:
    assert _probe(tmp_path) == f"FileSystemStorage||{tmp_path / 'files'}|"


def test_a_named_bucket_switches_attachments_to_private_s3_storage(tmp_path: Path) -> None:
    out = _probe(tmp_path, EDLEAD_S3_BUCKET="district-files", EDLEAD_S3_ENDPOINT_URL="https://s3.example.org")
    assert out == "S3Storage|district-files|attachments|private"
