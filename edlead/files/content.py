"""What a file is, decided from its bytes, and a safe name for it.

A file is accepted only when its content is one of the allowed kinds (`EDLEAD_FILES_ALLOWED_TYPES`)
*and* its name ends in an extension of that kind: an executable renamed `.pdf` is refused, and so is
a PNG named `.pdf`. The name a person gave is kept only for display and download, cleaned of path
separators and control characters; the stored object gets a random name.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.conf import settings

from edlead.core.errors import ApplicationError

MAX_NAME_LENGTH = 120
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    mime: str
    extensions: tuple[str, ...]


KINDS: dict[str, FileKind] = {
    k.code: k
    for k in (
        FileKind("pdf", "PDF document", "application/pdf", (".pdf",)),
        FileKind("png", "PNG image", "image/png", (".png",)),
        FileKind("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
        FileKind(
            "docx",
            "Word document (.docx)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind(
            "xlsx",
            "Excel workbook (.xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileKind("csv", "CSV table", "text/csv", (".csv",)),
        FileKind("txt", "plain text file", "text/plain", (".txt",)),
    )
}
# Content that filetype recognises, by its extension, mapped to our kinds.
_FILETYPE_KINDS = {"pdf": "pdf", "png": "png", "jpg": "jpeg"}
# Office Open XML: the part that tells a Word document from a workbook.
_OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_PROGRAMS = {"exe": "a Windows program", "elf": "a Linux program", "dmg": "a macOS disk image"}
_TEXT_CONTROLS = set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def allowed_kinds() -> list[FileKind]:
    return [KINDS[c] for c in settings.EDLEAD_FILES_ALLOWED_TYPES if c in KINDS]


def accepted_text() -> str:
    """The accepted kinds, for messages and the upload form's hint."""
    return ", ".join(k.label for k in allowed_kinds())


def accept_attribute() -> str:
    """The `accept` attribute of a file input: the allowed extensions."""
    return ",".join(ext for k in allowed_kinds() for ext in k.extensions)


def clean_name(raw: str) -> str:
    """The last path component of `raw`, without control characters, leading dots or spaces, at most
    MAX_NAME_LENGTH characters (the extension kept). Never empty."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    room = MAX_NAME_LENGTH - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(". ") or "file"
    return f"{stem}.{ext}" if ext else stem


def extension_of(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _looks_like_text(head: bytes, *, complete: bool) -> bool:
    if not head or any(b in _TEXT_CONTROLS for b in head):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=complete)
        return True
    except UnicodeDecodeError:
        pass
    try:  # Windows spreadsheets save CSV as cp1252
        head.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _ooxml_kind(file: IO[bytes]) -> str | None:
    """docx or xlsx when the file is a zip holding that part (listing only; nothing is extracted)."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in _OOXML_PARTS.items() if part in names), None)


def detect(file: IO[bytes], size: int) -> tuple[str | None, str]:
    """(our kind code or None, a description of the content for messages)."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if head[:4] == b"PK\x03\x04":
        kind = _ooxml_kind(file)
        return (kind, KINDS[kind].label) if kind else (None, "a zip archive")
    guess = filetype.guess(head)
    if guess is not None and guess.extension in _FILETYPE_KINDS:
        kind = _FILETYPE_KINDS[guess.extension]
        return kind, KINDS[kind].label
    if _looks_like_text(head, complete=size <= len(head)):
        return "text", "plain text"
    if guess is not None and guess.extension in _PROGRAMS:
        return None, _PROGRAMS[guess.extension]
    if guess is not None:
        return None, f"a {guess.extension.upper()} file ({guess.mime})"
    return None, "of a type that could not be recognised"


def check(file: IO[bytes], *, name: str, size: int) -> FileKind:
    """The kind of an uploaded file, or ApplicationError saying plainly why it is refused."""
    limit = settings.EDLEAD_FILES_MAX_BYTES
    if size > limit:
        raise ApplicationError(
            f"“{name}” is {_megabytes(size)}; files may be at most {_megabytes(limit)}. Nothing was saved."
        )
    if size == 0:
        raise ApplicationError(f"“{name}” is empty. Nothing was saved.")
    ext = extension_of(name)
    by_ext = next((k for k in allowed_kinds() if ext in k.extensions), None)
    if by_ext is None:
        shown = f"ending in {ext}" if ext else "without an extension"
        raise ApplicationError(
            f"“{name}”: files {shown} are not accepted. Accepted: {accepted_text()}. Nothing was saved."
        )
    found, described = detect(file, size)
    if found == "text" and by_ext.code in ("csv", "txt"):
        return by_ext
    if found == by_ext.code:
        return by_ext
    if found is None and described in _PROGRAMS.values():
        raise ApplicationError(
            f"“{name}” is {described}, not a {by_ext.label}: programs are never accepted. Nothing was saved."
        )
    holds = described if described.startswith(("a ", "of ")) else f"a {described}"
    if described == "plain text":
        holds = "plain text"
    if found is None:
        raise ApplicationError(
            f"“{name}” is named as a {by_ext.label} but its content is {holds}. "
            f"Accepted: {accepted_text()}. Nothing was saved."
        )
    raise ApplicationError(
        f"“{name}” holds {holds}, but its name ends in {ext}. Rename the file to match what it holds, "
        "or choose the right file. Nothing was saved."
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
