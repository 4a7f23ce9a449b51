"""A small generated attendance file whose figures are worked out by hand in the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from edlead.imports.tests.helpers import write_csv

PLANTED_NAME = "Zebulon Quartermaine"
PLANTED_ID = "SASID-PLANT-777"
SCHOOL = "99100010"  # Oak Elementary in the `users` fixture
UNKNOWN = "99990123"

HEADER = [
    "Student ID",
    "First Name",
    "Last Name",
    "School Code",
    "Date",
    "Days Enrolled",
    "Days Absent",
    "Low Income",
    "EL",
    "SWD",
    "Race/Ethnicity",
    "Gender",
]

# October 2024 at Oak Elementary:
#   s1 20 days, 2 absent    (exactly 10%: chronic)  low income           Hispanic/Latino  F
#   s2 20 days, 1.98 absent (9.9%: not chronic)     EL                   White            M
#   s3 19 days, 1.9 absent  (exactly 10%: chronic)  low income, SWD      Hispanic/Latino  F
#   s4 20 days, 0 absent                            —                    White            M   (listed twice, identically)
# November 2024: s1 again (18 days, 0 absent). Two rows for a school EdLead does not know.
ROWS: list[list[Any]] = [
    [
        PLANTED_ID,
        "Zebulon",
        "Quartermaine",
        SCHOOL,
        "2024-10-31",
        "20",
        "2",
        "Y",
        "N",
        "N",
        "Hispanic/Latino",
        "F",
    ],
    ["S2", "Ada", "Example", SCHOOL, "10/31/2024", "20", "1.98", "no", "yes", "0", "White", "M"],
    ["S3", "Bo", "Example", SCHOOL, "2024-10-15", "19", "1.9", "1", "0", "1", "Hispanic", "Female"],
    ["S4", "Cy", "Example", SCHOOL, "2024-10-31", "20", "0", "false", "false", "false", "White", "male"],
    ["S4", "Cy", "Example", SCHOOL, "2024-10-31", "20", "0", "false", "false", "false", "White", "male"],
    [
        PLANTED_ID,
        "Zebulon",
        "Quartermaine",
        SCHOOL,
        "2024-11-30",
        "18",
        "0",
        "Y",
        "N",
        "N",
        "Hispanic/Latino",
        "F",
    ],
    ["S9", "Di", "Example", UNKNOWN, "2024-10-31", "20", "5", "N", "N", "N", "Asian", "F"],
    ["S10", "Ed", "Example", UNKNOWN, "2024-10-31", "20", "5", "N", "N", "N", "Asian", "M"],
]

# (period, group) → (students, attendance rate, chronic absence %)
EXPECTED = {
    ("2024-10", "all"): (4, "92.56", "50.00"),  # 73.12 / 79 days attended; 2 of 4 chronic
    ("2024-10", "low_income"): (2, "90.00", "100.00"),  # 35.1 / 39
    ("2024-10", "high_needs"): (3, "90.03", "66.67"),  # 53.12 / 59
    ("2024-10", "el"): (1, "90.10", "0.00"),  # 18.02 / 20
    ("2024-10", "swd"): (1, "90.00", "100.00"),
    ("2024-10", "hispanic"): (2, "90.00", "100.00"),
    ("2024-10", "white"): (2, "95.05", "0.00"),  # 38.02 / 40
    ("2024-10", "female"): (2, "90.00", "100.00"),
    ("2024-10", "male"): (2, "95.05", "0.00"),
    ("2024-11", "all"): (1, "100.00", "0.00"),
    ("2024-11", "low_income"): (1, "100.00", "0.00"),
    ("2024-11", "high_needs"): (1, "100.00", "0.00"),
    ("2024-11", "hispanic"): (1, "100.00", "0.00"),
    ("2024-11", "female"): (1, "100.00", "0.00"),
}


def attendance_file(path: Path, rows: list[list[Any]] | None = None, header: list[str] | None = None) -> Path:
    return write_csv(path, [header or HEADER, *(ROWS if rows is None else rows)])
