"""A framework exported as JSON or CSV and imported again is the same framework; a bad file is refused
with where and what, and writes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.evaluations import interchange, services
from edlead.evaluations.kinds import FrameworkRubric
from edlead.evaluations.models import Descriptor, Element, Framework, Indicator, Standard
from edlead.evaluations.selectors import framework_data
from edlead.imports.services import import_file
from edlead.testing import make_user

MODELS = (Framework, Standard, Indicator, Element, Descriptor)


def _counts() -> list[int]:
    return [m.objects.count() for m in MODELS]


def _export(client: Client, framework: Framework, fmt: str) -> bytes:
    response = client.get(f"/evaluation/frameworks/{framework.pk}/export.{fmt}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    return response.content


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_json_export_then_import_gives_the_same_framework(
    world: World, admin_framework: Framework, client: Client
) -> None:
    client.force_login(world.users["district_admin"])
    content = _export(client, admin_framework, "json")
    doc = json.loads(content)
    assert doc["format"] == interchange.FORMAT
    imported = services.framework_import_json(
        actor=world.users["district_admin"], content=content, organization=world.orgs["A"], file_name="x.json"
    )
    assert imported.status == Framework.Status.DRAFT and imported.organization == world.orgs["A"]
    assert framework_data(imported) == framework_data(admin_framework)


def test_csv_export_then_import_gives_the_same_framework(
    world: World, admin_framework: Framework, client: Client, tmp_path: Path
) -> None:
    client.force_login(world.users["district_admin"])
    content = _export(client, admin_framework, "csv")
    rows = _csv_rows(content)
    assert rows[0] == interchange.CSV_HEADER
    assert (
        len(rows)
        == 1 + Descriptor.objects.filter(element__indicator__standard__framework=admin_framework).count()
    )
    assert rows[1][:6] == [
        admin_framework.name,
        "ma-administrator",
        "administrator",
        "2024",
        "I",
        "Instructional Leadership",
    ]
    path = _write(tmp_path, "rubric.csv", content)
    outcome = import_file(path=path, actor=world.users["district_admin"], scope_paths=(world.orgs["A"].path,))
    assert outcome.kind == FrameworkRubric.slug  # recognised by its header
    assert outcome.applied and not outcome.refused, [str(e) for e in outcome.errors]
    imported = Framework.objects.get(organization=world.orgs["A"])
    assert imported.status == Framework.Status.DRAFT
    expected = framework_data(admin_framework)
    expected["description"] = ""  # the CSV carries no description
    assert framework_data(imported) == expected


def test_formula_like_text_and_an_xlsx_copy_round_trip(
    world: World, alpha_copy: Framework, client: Client, tmp_path: Path
) -> None:
    """The export makes formula-like text inert with a leading quote; the import takes it off again. An
    XLSX copy of the CSV imports the same."""
    from openpyxl import Workbook

    actor = world.users["district_admin"]
    element = Element.objects.get(indicator__standard__framework=alpha_copy, code="I-A-1")
    services.element_update(
        actor=actor,
        element=element,
        name="=Unit design",
        descriptors={"needs_improvement": "- Sometimes plans units"},
    )
    client.force_login(actor)
    content = _export(client, alpha_copy, "csv")
    assert "'- Sometimes plans units" in content.decode("utf-8-sig")  # inert in a spreadsheet
    beta_admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, world.orgs["B"])], password=None)
    expected = {**framework_data(alpha_copy), "description": ""}
    outcome = import_file(path=_write(tmp_path, "alpha.csv", content), actor=beta_admin)
    assert outcome.applied, [str(e) for e in outcome.errors]
    assert framework_data(Framework.objects.get(organization=world.orgs["B"])) == expected
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in _csv_rows(content):
        sheet.append(row)
    workbook.save(tmp_path / "alpha.xlsx")
    outcome = import_file(path=tmp_path / "alpha.xlsx", actor=beta_admin)
    assert outcome.kind == FrameworkRubric.slug and outcome.applied, [str(e) for e in outcome.errors]
    second = Framework.objects.filter(organization=world.orgs["B"]).order_by("-pk").first()
    assert second is not None
    assert framework_data(second) == {**expected, "version": "2024-2"}  # each import is a new draft


def test_manage_py_import_recognises_a_framework_csv_and_makes_a_state_draft(
    world: World, admin_framework: Framework, client: Client, tmp_path: Path
) -> None:
    client.force_login(world.users["state_admin"])
    path = _write(tmp_path, "teacher.csv", _export(client, admin_framework, "csv"))
    call_command("import", str(path), stdout=io.StringIO())
    draft = Framework.objects.get(organization=None, code="ma-administrator", status=Framework.Status.DRAFT)
    assert draft.version == "2024-2"  # the state already has version 2024
    assert framework_data(draft) == {
        **framework_data(admin_framework),
        "version": "2024-2",
        "description": "",
    }


CSV_HEAD = ",".join(interchange.CSV_HEADER) + "\n"
GOOD = "Mini,mini,teacher,1,I,Planning,yes,I-A,Units,I-A-1,Goals,Proficient,Sets clear goals.\n"


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        (
            "Mini,mini,teacher,1,I,Planning,yes,I-A,Units,I-A-1,Goals,Excellent,Sets goals.\n",
            2,
            "Level",
            "not a performance level",
        ),
        (
            GOOD + "Mini,mini,teacher,1,II,Teaching,no,I-B,Instruction,I-B-1,Tasks,Proficient,Good tasks.\n",
            3,
            "Indicator",
            "does not belong to standard “II”",
        ),
        (
            GOOD + "Mini,mini,teacher,1,I,Planning,yes,I-A,Units,I-B-1,Tasks,Proficient,Good tasks.\n",
            3,
            "Element",
            "does not belong to indicator “I-A”",
        ),
        (
            GOOD + "Mini,mini,teacher,1,I,Planning,yes,I-A,Lessons,I-A-2,Plans,Proficient,Plans.\n",
            3,
            "Indicator name",
            "one code, one value",
        ),
        (
            GOOD + "Mini,mini,teacher,1,I,Planning,yes,I-A,Units,I-A-1,Goals,Proficient,Other text.\n",
            3,
            "Framework code",
            "same",
        ),
        (
            "Mini,mini,coach,1,I,Planning,yes,I-A,Units,I-A-1,Goals,Proficient,Sets goals.\n",
            2,
            "Audience",
            "not a audience",
        ),
    ],
)
def test_bad_csv_names_line_and_column_and_writes_nothing(
    world: World, tmp_path: Path, body: str, line: int, column: str, words: str
) -> None:
    before = _counts()
    outcome = import_file(
        path=_write(tmp_path, "bad.csv", CSV_HEAD + body),
        actor=world.users["district_admin"],
        scope_paths=(world.orgs["A"].path,),
    )
    assert outcome.refused and not outcome.applied
    assert any(e.line == line and e.column == column and words in e.message for e in outcome.errors), [
        str(e) for e in outcome.errors
    ]
    assert _counts() == before


def test_csv_missing_column_and_binary_file_are_refused(world: World, tmp_path: Path) -> None:
    before = _counts()
    header = [h for h in interchange.CSV_HEADER if h != "Standard name"]
    missing = _write(
        tmp_path,
        "missing.csv",
        ",".join(header) + "\nMini,mini,teacher,1,I,yes,I-A,Units,I-A-1,Goals,Proficient,Sets goals.\n",
    )
    outcome = import_file(path=missing, kind=FrameworkRubric.slug, actor=world.users["district_admin"])
    assert any(e.line == 1 and e.column == "Standard name" and "missing" in e.message for e in outcome.errors)
    binary = _write(tmp_path, "junk.csv", b"Framework,\x00\x01\x02\xff\xfe")
    outcome = import_file(path=binary, kind=FrameworkRubric.slug, actor=world.users["district_admin"])
    assert outcome.refused and "binary" in str(outcome.errors[0])
    assert _counts() == before


def test_csv_from_someone_who_may_not_manage_frameworks_is_refused(world: World, tmp_path: Path) -> None:
    before = _counts()
    outcome = import_file(
        path=_write(tmp_path, "ok.csv", CSV_HEAD + GOOD),
        actor=world.users["hr"],
        scope_paths=(world.orgs["A"].path,),
    )
    assert outcome.refused and "may not create evaluation frameworks" in str(outcome.errors[0])
    assert _counts() == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe\x00{", "not UTF-8"),
        (b'{"framework": {"code": "x",}}', "Line 1, column"),
        (
            json.dumps(
                {
                    "framework": {
                        "code": "mini",
                        "name": "M",
                        "audience": "teacher",
                        "version": "1",
                        "standards": [
                            {
                                "code": "I",
                                "name": "A",
                                "indicators": [{"code": "II-A", "name": "B", "elements": []}],
                            }
                        ],
                    }
                }
            ).encode(),
            "standards[0].indicators[0].code: Indicator code “II-A” must be its parent's code “I”",
        ),
        (
            json.dumps(
                {
                    "framework": {
                        "code": "mini",
                        "name": "M",
                        "audience": "teacher",
                        "version": "1",
                        "standards": [
                            {
                                "code": "I",
                                "name": "A",
                                "indicators": [
                                    {
                                        "code": "I-A",
                                        "name": "B",
                                        "elements": [
                                            {"code": "I-A-1", "name": "C", "descriptors": {"excellent": "x"}}
                                        ],
                                    }
                                ],
                            }
                        ],
                    }
                }
            ).encode(),
            "standards[0].indicators[0].elements[0].descriptors: “excellent” is not a performance level",
        ),
        (
            json.dumps(
                {
                    "framework": {
                        "code": "mini",
                        "name": "M",
                        "audience": "teacher",
                        "version": "1",
                        "standards": [{"code": "I", "name": "A"}, {"code": "I", "name": "B"}],
                    }
                }
            ).encode(),
            "standards[1].code: code “I” is used twice (also at standards[0].code)",
        ),
        (
            json.dumps(
                {"framework": {"name": "M", "audience": "teacher", "version": "1", "standards": []}}
            ).encode(),
            "code: is missing or empty",
        ),
    ],
)
def test_bad_json_says_where_and_writes_nothing(world: World, content: bytes, words: str) -> None:
    before = _counts()
    with pytest.raises(ApplicationError) as raised:
        services.framework_import_json(
            actor=world.users["district_admin"], content=content, organization=world.orgs["A"]
        )
    assert words in raised.value.message
    assert _counts() == before


def test_a_failure_part_way_through_writing_leaves_nothing(world: World, admin_framework: Framework) -> None:
    """Validation passes, then the owner check refuses: the transaction keeps nothing."""
    data = framework_data(admin_framework)
    before = _counts()
    with pytest.raises(ApplicationError):
        services.framework_create_from_data(
            actor=world.users["district_admin"], data=data, organization=world.orgs["B"]
        )
    assert _counts() == before
