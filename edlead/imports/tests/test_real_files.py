"""The three real DESE directory files import, re-import changes nothing, XLSX copies agree."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from edlead.core.models import AuditEvent
from edlead.imports.models import ImportRun
from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

LEARNED = {"04770000", "35120000", "04270000"}


def snapshot() -> dict[str, Any]:
    """Every record the directory import writes, by natural key (no primary keys or timestamps)."""
    orgs = {
        o.code: (
            o.kind,
            o.name,
            o.parent.code if o.parent else None,
            o.district_type,
            o.school_type,
            o.grades,
            o.address_line1,
            o.address_line2,
            o.town,
            o.state,
            o.postal_code,
            o.phone,
            o.source,
        )
        for o in Organization.objects.exclude(code=None).select_related("parent")
    }
    positions = sorted(
        (
            p.organization.code,
            p.role,
            p.title,
            p.person.first_name,
            p.person.last_name,
            str(p.starts_on),
            str(p.ends_on),
        )
        for p in Position.objects.select_related("organization", "person")
    )
    return {"orgs": orgs, "positions": positions, "people": Person.objects.count()}


@pytest.mark.django_db
def test_real_directory_files_import_and_reimport_changes_nothing(real_files: tuple[Path, ...]) -> None:
    started = time.monotonic()
    code, out, _ = run_import(*real_files)
    elapsed = time.monotonic() - started
    assert code == 0, out
    assert elapsed < 30, f"the three directory files took {elapsed:.1f}s"
    districts = Organization.objects.districts()
    schools = Organization.objects.schools()
    # 526 districts in the two district files together, plus the 3 the school directory names
    assert districts.count() == 529
    assert schools.count() == 1861
    assert not Organization.objects.filter(path="").exists()
    assert all(s.path.startswith(s.parent.path) for s in schools.select_related("parent")[:50])

    learned = districts.filter(source=Organization.Source.LEARNED)
    assert set(learned.values_list("code", flat=True)) == LEARNED
    assert set(learned.values_list("source_note", flat=True)) == {"directory_2016-17.csv"}
    for code_ in LEARNED:
        assert code_ in out  # listed in the report
    silver_hill = Organization.objects.get(code="04770000")
    assert silver_hill.name == "Silver Hill Horace Mann Charter (District)"
    assert silver_hill.district_type == Organization.DistrictType.CHARTER
    assert schools.filter(parent=silver_hill).exists()

    abington_high = Organization.objects.get(code="00010505")
    assert abington_high.grades == "09,10,11,12"
    assert abington_high.postal_code == "02351"  # the school file lost the ZIP's leading zero
    assert abington_high.district.code == "00010000"
    principal = Position.objects.get(organization=abington_high, role=Position.Role.PRINCIPAL)
    assert (principal.person.first_name, principal.person.last_name) == ("Teresa", "Sullivan-Cruz")
    assert principal.starts_on == dt.date(2016, 7, 1)
    assert principal.person.source == Person.Source.DESE_DIRECTORY

    # A charter leader: the district's superintendent position, titled as DESE says.
    abby = Organization.objects.get(code="04450000")
    assert abby.district_type == Organization.DistrictType.CHARTER
    leader = Position.objects.current(dt.date(2024, 1, 1)).get(organization=abby)
    assert leader.role == Position.Role.SUPERINTENDENT and leader.title == "Charter School Leader"
    assert (
        Organization.objects.get(code="08230000").district_type
        == Organization.DistrictType.REGIONAL_VOCATIONAL
    )

    # A new leader in 2023-24 ended the 2017-18 one the day before.
    pacific_rim = Organization.objects.get(code="04120000")
    history = list(
        Position.objects.filter(organization=pacific_rim).order_by("starts_on").select_related("person")
    )
    assert [p.person.last_name for p in history] == ["Blasdale", "Morales"]
    assert history[0].ends_on == dt.date(2023, 6, 30) and history[1].starts_on == dt.date(2023, 7, 1)
    assert history[1].ends_on is None

    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_APPLIED).count() == 3
    assert ImportRun.objects.filter(status=ImportRun.Status.APPLIED).count() == 3

    before = snapshot()
    code, out, _ = run_import(*real_files)
    assert code == 0
    assert last_line(out).startswith("0 created, 0 updated, ")
    assert last_line(out).endswith(" unchanged, 0 skipped")
    assert snapshot() == before


@pytest.mark.django_db
def test_real_files_in_any_order_and_folders_give_the_same_records(
    real_files: tuple[Path, ...], tmp_path: Path
) -> None:
    """Given in reverse order (schools first), the command still applies districts first."""
    code, out, _ = run_import(*reversed(real_files))
    assert code == 0, out
    assert (
        out.index("locations.csv")
        < out.index("PublicSchoolDistrict.csv")
        < out.index("directory_2016-17.csv")
    )
    assert Organization.objects.filter(source=Organization.Source.LEARNED).count() == 3


@pytest.mark.heavy  # CI runs it once, on SQLite (XLSX reading is the same on both databases)
@pytest.mark.django_db
def test_xlsx_copies_of_the_real_files_give_identical_records(
    real_files: tuple[Path, ...], tmp_path: Path
) -> None:
    district_1718, district_2324, schools = real_files
    csv_root = tmp_path / "csv"
    xlsx_root = tmp_path / "xlsx"
    for source, folder in ((district_1718, "2017-18"), (district_2324, "2023-24"), (schools, "")):
        target = csv_root / folder / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        csv_to_xlsx(source, xlsx_root / folder / (source.stem + ".xlsx"))

    code, out, _ = run_import(csv_root)
    assert code == 0, out
    from_csv = snapshot()
    Position.objects.all().delete()
    Person.objects.all().delete()
    ImportRun.objects.all().delete()
    from edlead.imports.models import OrgDirectoryYear

    OrgDirectoryYear.objects.all().delete()
    schools_qs = Organization.objects.schools()
    schools_qs.delete()
    Organization.objects.districts().delete()
    assert not Organization.objects.exclude(code=None).exists()

    code, out, _ = run_import(xlsx_root)
    assert code == 0, out
    assert snapshot() == from_csv
    code, out, _ = run_import(xlsx_root)
    assert last_line(out).startswith("0 created, 0 updated")
    # and the CSVs after the XLSX copies change nothing either
    code, out, _ = run_import(csv_root)
    assert last_line(out).startswith("0 created, 0 updated")
