"""A browser preview keeps the file it read, parsed and validated, next to the upload, so that applying
it does not read and parse the file again (issue 7: "parse uploads once").

The kept form is a pickle of the outcome so far and the kind's rows made plain (`ImportKind.parsed_dump`),
compressed, signed with an HMAC of the secret key: it is read back only if nobody but EdLead wrote it
(a pickle must never be loaded from an untrusted source). Missing, damaged, of another format or
another kind: `parsed_load` returns None and the apply reads the file again, as before.
"""

from __future__ import annotations

import logging
import pickle
import zlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.crypto import constant_time_compare, salted_hmac

from edlead.imports.kinds import KINDS
from edlead.imports.kinds.base import ImportKind, Outcome
from edlead.imports.models import ImportRun
from edlead.lib.schoolyears import SchoolYear

logger = logging.getLogger(__name__)

FORMAT = 1
_SALT = "edlead.imports.parsed"
_MAC_BYTES = 32  # SHA-256


@dataclass
class Parsed:
    """A file read and validated: what applying it needs besides the database."""

    kind: type[ImportKind]
    rows: Any
    title: str
    year: SchoolYear | None


def _name(run: ImportRun) -> str:
    return f"{run.stored_file.name}.parsed"


def parsed_keep(run: ImportRun, outcome: Outcome, parsed: Parsed) -> None:
    """Store what reading `run`'s upload gave (before any planning changed `outcome`). A failure to store
    it only costs the apply a second reading, so it is logged, never raised."""
    if not run.stored_file:
        return
    try:
        body = pickle.dumps(
            (
                FORMAT,
                parsed.kind.slug,
                parsed.kind.parsed_dump(parsed.rows),
                parsed.title,
                parsed.year.label if parsed.year else None,
                outcome,
            ),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        data = zlib.compress(body, 1)
        mac = salted_hmac(_SALT, data, algorithm="sha256").digest()
        storage, name = run.stored_file.storage, _name(run)
        storage.delete(name)
        saved = storage.save(name, ContentFile(mac + data))
        if saved != name:  # a storage that renamed it: it could not be found again
            storage.delete(saved)
    except Exception:  # keeping is an optimisation: the apply reads the file again without it
        logger.exception("Could not keep the parsed preview of import run %s", run.pk)


def parsed_load(run: ImportRun) -> tuple[Outcome, Parsed] | None:
    """What `parsed_keep` stored for `run`, or None (then the file is read again)."""
    if not run.stored_file:
        return None
    storage, name = run.stored_file.storage, _name(run)
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as fh:
            blob = fh.read()
        mac, data = blob[:_MAC_BYTES], blob[_MAC_BYTES:]
        if not constant_time_compare(mac, salted_hmac(_SALT, data, algorithm="sha256").digest()):
            logger.warning("The kept preview of import run %s is not EdLead's: read the file again", run.pk)
            return None
        version, slug, rows, title, year, outcome = pickle.loads(zlib.decompress(data))  # noqa: S301 - signed
        kind = KINDS.get(slug)
        if version != FORMAT or kind is None:
            return None
        return outcome, Parsed(kind, kind.parsed_load(rows), title, SchoolYear.parse(year) if year else None)
    except Exception:  # damaged or from an older EdLead: read the file again
        logger.warning("Could not read the kept preview of import run %s", run.pk, exc_info=True)
        return None


def parsed_drop(run: ImportRun) -> None:
    """Delete what `parsed_keep` stored for `run` (with its upload)."""
    if not run.stored_file:
        return
    try:
        run.stored_file.storage.delete(_name(run))
    except Exception:
        logger.warning("Could not delete the kept preview of import run %s", run.pk, exc_info=True)
