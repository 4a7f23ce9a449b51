"""The final ratings export (EPIMS-like CSV) and its import kind: round trip unchanged, people without a
MEPID skipped and listed, corrections refused or reopened through the service, bad input refused with
row and column and nothing written."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.evaluations import ratings
from edlead.evaluations.models import Assessment, Cycle, CycleReopening
from edlead.evaluations.tests import cycle_helpers as h
from edlead.evaluations.tests import reports_helpers as rh
from edlead.evaluations.tests.factories import THIS_YEAR
from edlead.imports.services import import_file

pytestmark = pytest.mark.django_db
Step = Cycle.Step
P, E, NI = "proficient", "exemplary", "needs_improvement"


def _signed_by_services(world: World) -> Cycle:
    """P1's cycle of this year walked through every service to both signatures."""
    world.people["P1"].mepid = "12345678"
    world.people["P1"].local_employee_number = "E-100"
    world.people["P1"].save()
    w = h.open_principal_cycle(world)
    h.to_summative(w)
    h.write_summative(w)
    from edlead.evaluations import services_cycle as sc

    sc.summative_sign_evaluator(actor=w.evaluator, cycle=w.cycle)
    return sc.summative_sign_educator(actor=w.educator, cycle=w.cycle)


def _export(tmp_path: Path, year: int, *extra: str) -> Path:
    out = tmp_path / "ratings.csv"
    call_command(
        "export_ratings", "--year", ratings.year_label(year), "--out", str(out), *extra, stdout=io.StringIO()
    )
    return out


def _state() -> list[Any]:
    return sorted(
        Assessment.objects.filter(stage="summative").values_list(
            "cycle_id", "overall", "evaluator_signed_at", "educator_signed_at", "version"
        )
    ) + [Cycle.objects.filter(step=Step.DONE).count(), CycleReopening.objects.count()]


def test_export_then_import_is_identical(world: World, tmp_path: Path) -> None:
    cycle = _signed_by_services(world)
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P, E, NI], year=THIS_YEAR)
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], steps=[Step.FORMATIVE], year=THIS_YEAR)
    out = _export(tmp_path, THIS_YEAR)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ",".join(ratings.HEADER)
    assert len(lines) == 1 + 4  # four signed evaluations; the one at step 4 is not final
    assert (
        f"12345678,E-100,{ratings.year_label(THIS_YEAR)},Proficient,Proficient,Proficient,Exemplary,Proficient,Self-Directed Growth Plan"
        in lines
    )
    before = _state()
    stdout = io.StringIO()
    call_command("import", str(out), stdout=stdout)  # recognised by its header alone
    assert "0 created, 0 updated, 4 unchanged, 0 skipped" in stdout.getvalue()
    assert _state() == before
    assert Cycle.objects.get(pk=cycle.pk).step == Step.DONE


def test_people_without_a_mepid_or_with_an_unknown_one_are_skipped_and_listed(
    world: World, tmp_path: Path
) -> None:
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P], mepids=False)
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P])
    out = _export(tmp_path, rh.YEAR)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(
            f"87654321,,{ratings.year_label(rh.YEAR)},Proficient,Proficient,Proficient,Proficient,Proficient,\r\n"
        )
    outcome = import_file(path=out)
    assert (outcome.unchanged, outcome.skipped) == (1, 2)
    reasons = " ".join(str(s) for s in outcome.skips)
    assert "no MEPID" in reasons and "87654321: no evaluation for 2025-26" in reasons


def _differing(out: Path) -> Path:
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",Proficient,", ",Exemplary,", 1)
    bad = out.with_name("corrected.csv")
    bad.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return bad


def test_a_differing_row_is_refused_without_the_reopen_permission(world: World, tmp_path: Path) -> None:
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P])
    bad = _differing(_export(tmp_path, rh.YEAR))
    before = _state()
    for actor in (None, world.users["principal_supervisor"]):
        outcome = import_file(path=bad, actor=actor)
        assert outcome.refused and not outcome.applied
        assert any(
            e.line == 2 and e.column == "Overall rating" and e.message == ratings.REFUSED_CORRECTION
            for e in outcome.errors
        )
    with pytest.raises(CommandError):
        call_command("import", str(bad), stdout=io.StringIO())
    assert _state() == before


def test_a_differing_row_from_hr_is_a_correction_through_reopen_and_the_reexport_shows_it(
    world: World, tmp_path: Path
) -> None:
    from edlead.core.models import AuditEvent
    from edlead.evaluations import services_cycle as sc

    (cycle,) = rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P])
    signed = Assessment.objects.get(cycle=cycle, stage="summative")
    bad = _differing(_export(tmp_path, rh.YEAR))
    outcome = import_file(path=bad, actor=world.users["hr"], scope_paths=(world.orgs["A"].path,))
    assert outcome.applied and outcome.updated == 1, [str(e) for e in outcome.errors]
    cycle.refresh_from_db()
    # Through the reopen-with-reason service: the signed version kept with the file's name as the reason…
    assert cycle.reopen_count == 1
    reopening = CycleReopening.objects.get(cycle=cycle)
    assert reopening.reason.startswith("Correction from file corrected.csv: overall Exemplary")
    assert reopening.snapshot["overall"] == P
    assert list(cycle.events.values_list("action", flat=True))[-2:] == ["reopened", "corrected"]
    # …then the corrected ratings stored and the cycle final again, with the signature dates it had.
    sa = Assessment.objects.get(cycle=cycle, stage="summative")
    assert cycle.step == Step.DONE and cycle.locked_at is not None
    assert sa.overall == E
    assert (sa.evaluator_signed_at, sa.educator_signed_at) == (
        signed.evaluator_signed_at,
        signed.educator_signed_at,
    )
    event = AuditEvent.objects.get(action=sc.SUMMATIVE_CORRECTED, target_id=str(cycle.pk))
    assert event.detail["before"]["overall"] == P and event.detail["after"]["overall"] == E
    assert event.actor == world.users["hr"] and "corrected.csv" in event.detail["reason"]
    # The re-export shows the correction, and importing the corrected file again changes nothing.
    again = _export(tmp_path, rh.YEAR)
    assert (
        again.read_text(encoding="utf-8-sig").splitlines()[1:]
        == bad.read_text(encoding="utf-8").splitlines()[1:]
    )
    before = _state()
    outcome = import_file(path=bad, actor=world.users["hr"], scope_paths=(world.orgs["A"].path,))
    assert outcome.applied and (outcome.updated, outcome.unchanged) == (0, 1)
    assert _state() == before and CycleReopening.objects.count() == 1


def test_a_correction_that_breaks_the_rating_rules_is_refused_with_row_and_column(
    world: World, tmp_path: Path
) -> None:
    """Overall Proficient with Standard I at Needs Improvement: refused at line 2, Standard I; nothing
    reopened or written."""
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P])
    out = _export(tmp_path, rh.YEAR)
    header, row = out.read_text(encoding="utf-8-sig").splitlines()[:2]
    cells = row.split(",")
    cells[3], cells[4] = "Proficient", "Needs Improvement"  # overall, Standard I
    bad = tmp_path / "rule.csv"
    bad.write_text(header + "\r\n" + ",".join(cells) + "\r\n", encoding="utf-8")
    before = _state()
    outcome = import_file(path=bad, actor=world.users["hr"], scope_paths=(world.orgs["A"].path,))
    assert outcome.refused and not outcome.applied
    assert any(
        e.line == 2 and e.column == "Standard I" and "Standard I" in e.message for e in outcome.errors
    ), [str(e) for e in outcome.errors]
    assert _state() == before


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        (
            "12345678,,2025-26,Great,Proficient,Proficient,Proficient,Proficient,\r\n",
            2,
            "Overall rating",
            "not a rating",
        ),
        (
            "12345678,,2025,Proficient,Proficient,Proficient,Proficient,Proficient,\r\n",
            2,
            "School year",
            "not a school year",
        ),
        (
            "12345678,,2025-27,Proficient,Proficient,Proficient,Proficient,Proficient,\r\n",
            2,
            "School year",
            "not a school year",
        ),
        ("1234,,2025-26,Proficient,Proficient,Proficient,Proficient,Proficient,\r\n", 2, "MEPID", "8 digits"),
        (
            "12345678,,2025-26,Proficient,Proficient,Proficient,Proficient,Proficient,Best plan\r\n",
            2,
            "Plan type",
            "not a plan type",
        ),
    ],
)
def test_bad_values_name_the_row_and_column_and_write_nothing(
    world: World, tmp_path: Path, body: str, line: int, column: str, words: str
) -> None:
    (cycle,) = rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P])
    path = tmp_path / "bad.csv"
    path.write_text(",".join(ratings.HEADER) + "\r\n" + body, encoding="utf-8")
    before = _state()
    outcome = import_file(path=path, kind=ratings.FinalRatings.slug, actor=world.users["hr"])
    assert outcome.refused and not outcome.applied
    assert any(e.line == line and e.column == column and words in e.message for e in outcome.errors), [
        str(e) for e in outcome.errors
    ]
    assert _state() == before


def test_missing_columns_and_a_wrong_encoding_are_refused(world: World, tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    header = [c for c in ratings.HEADER if c != "Standard III"]
    path.write_text(
        ",".join(header) + "\r\n12345678,,2025-26,Proficient,Proficient,Proficient,Proficient,\r\n"
    )
    outcome = import_file(path=path, kind=ratings.FinalRatings.slug)
    assert any(e.line == 1 and e.column == "Standard III" and "missing" in e.message for e in outcome.errors)
    binary = tmp_path / "junk.csv"
    binary.write_bytes(b"MEPID,\x00\x01\x02\xff\xfe")
    outcome = import_file(path=binary, kind=ratings.FinalRatings.slug)
    assert outcome.refused


def test_the_page_exports_only_the_ratings_the_user_may_read(world: World) -> None:
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], levels=[P])
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[E, E])
    url = reverse("evaluation_reports:ratings-export") + f"?year={rh.YEAR}"
    c = Client()
    c.force_login(world.users["hr"])
    assert len(c.get(url).content.decode("utf-8-sig").splitlines()) == 1 + 3
    c.force_login(world.users["principal_supervisor"])
    text = c.get(url).content.decode("utf-8-sig")
    assert len(text.splitlines()) == 1 + 1 and "Exemplary" not in text


def test_export_command_refuses_a_bad_year_and_an_unknown_district(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="not a school year"):
        call_command("export_ratings", "--year", "2025", "--out", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="No district"):
        call_command(
            "export_ratings", "--year", "2025-26", "--out", str(tmp_path / "x.csv"), "--district", "01230000"
        )
