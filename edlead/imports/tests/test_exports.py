"""edlead.lib.exports: every export neutralizes cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from edlead.lib.exports import csv_response, neutralize, xlsx_response

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"]


def test_neutralize_prefixes_formula_text_only() -> None:
    for value in DANGEROUS:
        assert neutralize(value) == "'" + value
    assert neutralize("Plain") == "Plain"
    assert neutralize("a=b") == "a=b"
    assert neutralize(-5) == -5
    assert neutralize(None) is None
    assert neutralize("") == ""


def test_csv_response_neutralizes_and_keeps_text() -> None:
    response = csv_response(
        "schools export.csv", ["Name", "=Header"], [['=HYPERLINK("x")', 3], ["Zoë", None]]
    )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="schools export.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["Name", "'=Header"], ['\'=HYPERLINK("x")', "3"], ["Zoë", ""]]


def test_xlsx_response_neutralizes_and_keeps_types() -> None:
    rows = [[value, 1] for value in DANGEROUS] + [["Zoë", Decimal("1.5")], [dt.date(2024, 7, 1), -3]]
    response = xlsx_response("out.xlsx", ["Value", "Number"], rows)
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Value", "Number"]
    for index in range(len(DANGEROUS)):
        cell = sheet.cell(row=index + 2, column=1)
        assert cell.data_type == "s" and cell.value.startswith("'")
    assert values[1][0] == "'=1+1" and values[4][0] == "'@cmd"
    assert values[-2][0] == "Zoë" and values[-2][1] == 1.5
    assert values[-1][1] == -3
    assert 'filename="out.xlsx"' in response["Content-Disposition"]
