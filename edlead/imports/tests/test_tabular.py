"""edlead.lib.tabular: encodings, delimiters, title rows, XLSX cells, and the refusals."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from edlead.lib.tabular import TabularError, find_header_row, normalize_header, open_table, read_rows


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    for prefix in (b"", codecs.BOM_UTF8):
        path = tmp_path / "f.csv"
        path.write_bytes(prefix + "Name,Town\r\nZoë, Worcester \r\n".encode())
        with open_table(path) as table:
            assert table.encoding in ("utf-8", "utf-8-sig")
            assert [cells for _, cells in table.rows()] == [["Name", "Town"], ["Zoë", "Worcester"]]


def test_windows_1252_is_detected_even_when_the_odd_byte_is_far_down(tmp_path: Path) -> None:
    body = "Name,Town\n" + "Plain,Row\n" * 200_000 + "Caf\u00e9 \u2019s,Qu\u00e9bec\n"
    path = tmp_path / "f.csv"
    path.write_bytes(body.encode("cp1252"))
    with open_table(path) as table:
        assert table.encoding == "cp1252"
        assert list(table.rows())[-1][1] == ["Café ’s", "Québec"]


def test_utf16_with_bom_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("Name;Code\r\nÉcole;0123\r\n".encode("utf-16"))
    assert read_rows(path) == [["Name", "Code"], ["École", "0123"]]


def test_semicolon_and_tab_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("a;b;c\n1;2;3\n")
    assert read_rows(path) == [["a", "b", "c"], ["1", "2", "3"]]
    path.write_text("a\tb\tc\n1\t2\t3\n")
    assert read_rows(path) == [["a", "b", "c"], ["1", "2", "3"]]


def test_line_numbers_count_physical_lines_and_skip_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text('h1,h2\n\n"multi\nline",x\nlast,y\n,,\n')
    with open_table(path) as table:
        assert [line for line, _ in table.rows()] == [1, 3, 5]


def test_title_row_is_found_above_the_header() -> None:
    rows = [
        ["2023-24 Teacher Data - All Teachers"],
        ["District Name", "District Code", "FTE"],
        ["A", "1", "2"],
    ]
    assert find_header_row(rows) == 1
    assert find_header_row(rows[1:]) == 0


def test_normalize_header() -> None:
    assert normalize_header(" Org-Code ") == normalize_header("ORG_CODE") == "orgcode"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (b"\x00\x01\x02binary\x00" * 100, "binary data"),
        (b'a,b\n1,"open\n', "ends inside a quoted cell that starts on line 2"),
        (b'a,b\n"x"y,2\n', "not valid CSV"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100, "old Excel .xls"),
        (b"PK\x03\x04garbage", "cannot be read"),
    ],
)
def test_unreadable_files_raise_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(TabularError) as exc:
        read_rows(path)
    assert message in exc.value.message


def test_control_character_noise_without_nul_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(bytes(range(1, 9)) * 2000)
    with pytest.raises(TabularError, match="binary"):
        read_rows(path)


def test_a_cell_of_several_megabytes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("a,b\n" + '"' + "x" * (6 * 1024 * 1024) + '",2\n')
    rows = read_rows(path)
    assert len(rows[1][0]) == 6 * 1024 * 1024


def test_xlsx_cells_become_text_as_typed(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Code", "Date", "FTE", "Name", None])
    ws.append([10505, dt.datetime(2024, 7, 1), 0.5, " Zoë ", None])
    ws.append([None, None, None, None])
    ws.append([4450000.0, dt.date(2020, 1, 2), 1, "@cmd", None])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    with open_table(path) as table:
        assert table.format == "xlsx"
        rows = list(table.rows())
    assert rows == [
        (1, ["Code", "Date", "FTE", "Name"]),
        (2, ["10505", "2024-07-01", "0.5", "Zoë"]),
        (4, ["4450000", "2020-01-02", "1", "@cmd"]),
    ]
