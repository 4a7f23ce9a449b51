"""CSV and XLSX downloads for every export in EdLead, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return can be run as a formula by
Excel, LibreOffice or Google Sheets ("CSV injection"). EdLead stores such text verbatim (it is what
the person typed or the file said) and neutralizes it only on the way out, by prefixing a single
quote, which spreadsheets show as text. Numbers, dates and other non-text values pass unchanged.

    csv_response("schools.csv", ["Code", "Name"], rows)
    xlsx_response("schools.xlsx", ["Code", "Name"], rows)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Exports may hold personnel records: no browser or proxy keeps a copy.
NO_STORE = "no-store, private"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralize(value: Any) -> Any:
    """The value, with text that a spreadsheet would treat as a formula made inert. Characters XML
    cannot hold are stripped *first*, so a control character in front of `=` cannot hide a formula
    from the check and then vanish on the way into the file; leading spaces count as well."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XML.sub("", value)
    if value.lstrip(" \u00a0").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_filename(filename: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", filename).strip() or "export"
    return cleaned[:120]


def _disposition(filename: str) -> str:
    return f'attachment; filename="{_safe_filename(filename)}"'


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A UTF-8 CSV download (with a byte-order mark so Excel reads accents right)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(v) for v in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralize(v) for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    response["Cache-Control"] = NO_STORE
    return response


def _xlsx_value(value: Any) -> Any:
    value = neutralize(value)
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, int | float | bool):
        return value
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | Decimal):
        return value
    return neutralize(str(value))


def xlsx_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Export"
) -> HttpResponse:
    """An XLSX download with one worksheet: the header row, then the rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([_xlsx_value(v) for v in header])
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _disposition(filename)
    response["Cache-Control"] = NO_STORE
    return response
