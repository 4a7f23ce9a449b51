"""DESE organization codes: 8 digits, district = 4 digits + 0000, school = district prefix + 4 digits."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"^\d{1,8}$")


class OrgCodeError(ValueError):
    """A value that cannot be an organization code."""


def normalize_org_code(value: object) -> str:
    """Return the 8-digit code, restoring leading zeros lost by spreadsheets ("10505" -> "00010505")."""
    text = str(value).strip() if value is not None else ""
    if text.endswith(".0"):  # a number that went through a spreadsheet float
        text = text[:-2]
    if not _DIGITS.match(text):
        raise OrgCodeError(f"{text!r} is not an organization code (up to 8 digits)")
    return text.zfill(8)


def district_code_of(code: str) -> str:
    """The district code a school code belongs to: its first four digits and 0000."""
    return code[:4] + "0000"


def is_district_code(code: str) -> bool:
    return code.endswith("0000")
