"""Demo and real data apart: `seed_demo` and `seed_metrics` write only demo organizations, never the
state root; the demo's invented state figures are labelled as such and give way to DESE's real ones,
whichever order the seed and the import run in; demo schools carry only measures that fit their grades;
`seed_demo` refuses to run in production."""

from __future__ import annotations

import csv
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from edlead.access.models import User
from edlead.demo import services
from edlead.demo.demo import RIVERTON_CODE
from edlead.demo.metrics import months_begun
from edlead.imports.tests.helpers import run_import
from edlead.metrics.models import Fact
from edlead.metrics.selectors.common import year_label
from edlead.metrics.selectors.invented import INVENTED_LABEL, INVENTED_STATE_CODE
from edlead.orgs.models import Organization

pytestmark = pytest.mark.django_db
DESE = Path(settings.BASE_DIR).parent / "shared" / "data" / "dese"
ATTENDANCE = DESE / "district" / "2023-24" / "Attendance.csv"
SALARIES = DESE / "district" / "2017-18" / "7_teacher_salaries.csv"


def seed() -> None:
    call_command("seed_demo", "--scale", "demo", stdout=StringIO())
    call_command("seed_metrics", stdout=StringIO())


def state_totals(path: Path) -> dict[str, Decimal]:
    """The State Totals row of a district export, by header, as numbers (read with the csv module)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    header = [c.strip() for c in rows[1]]
    row = next(r for r in rows if r and r[1].strip() == "00000000")
    return {
        h: Decimal(c.strip().replace(",", ""))
        for h, c in zip(header, row, strict=False)
        if h and c.strip()[:1].isdigit()
    }


def root() -> Organization:
    return Organization.objects.get(kind=Organization.Kind.STATE)


def test_seed_metrics_writes_only_demo_organizations_and_never_the_state_root() -> None:
    seed()
    assert not Fact.objects.filter(organization=root()).exists()
    sources = set(Fact.objects.values_list("organization__source", flat=True))
    assert sources == {Organization.Source.DEMO}
    codes = set(Fact.objects.values_list("organization__code", flat=True))
    assert all(c and c.startswith("99") for c in codes)
    invented = Organization.objects.get(code=INVENTED_STATE_CODE)
    assert invented.source == Organization.Source.DEMO and "invented" in invented.name.lower()
    assert Fact.objects.filter(organization=invented).count() > 100
    assert not Organization.objects.operating_districts().filter(pk=invented.pk).exists()
    call_command("seed_metrics", stdout=StringIO())  # again: nothing new
    assert Organization.objects.filter(code=INVENTED_STATE_CODE).count() == 1


def test_demo_schools_carry_only_measures_that_fit_their_grades() -> None:
    seed()
    elc = Organization.objects.get(name="Riverton Early Learning Center")  # PK, K
    elc_codes = set(Fact.objects.filter(organization=elc).values_list("metric__code", flat=True))
    assert elc_codes and not {c for c in elc_codes if c.startswith("mcas_")}
    assert "grad_4yr_pct" not in elc_codes
    elementary = Organization.objects.schools().filter(
        name__endswith="Elementary School", code__startswith="9901"
    )
    assert not Fact.objects.filter(organization__in=elementary, metric__code="grad_4yr_pct").exists()
    assert Fact.objects.filter(organization__in=elementary, metric__code="mcas_ela_me_pct").exists()
    high = Organization.objects.get(name="Riverton Central High School")
    assert Fact.objects.filter(organization=high, metric__code="grad_4yr_pct").exists()


@pytest.mark.parametrize("order", ["seed_then_import", "import_then_seed"])
def test_state_figures_equal_the_dese_files_in_either_order(client: Any, order: str) -> None:
    if not (ATTENDANCE.exists() and SALARIES.exists()):
        pytest.skip(f"The shared DESE data is not here ({DESE}); see ../shared/data/README.md")
    if order == "seed_then_import":
        seed()
    status, out, err = run_import(ATTENDANCE, SALARIES)
    assert status == 0, out[-2000:] + err
    if order == "import_then_seed":
        seed()
    attendance, salaries = state_totals(ATTENDANCE), state_totals(SALARIES)
    stored = {
        (code, year): value
        for code, year, value in Fact.objects.filter(organization=root(), group__code="all").values_list(
            "metric__code", "school_year", "value"
        )
    }
    expected = {
        ("chronic_absence_10_pct", 2023): attendance["Chronically Absent (10% or more)"],
        ("attendance_rate", 2023): attendance["Attendance Rate"],
        ("teacher_salary_avg", 2017): salaries["Average Salary"],
    }
    for key, value in expected.items():
        assert stored[key] == value, key
    # Nothing but DESE's figures on the state root: the metrics of the two files, their years only.
    assert {year for _code, year in stored} == {2017, 2023}

    # The pages: Riverton's district page compares with DESE's real chronic absence for 2023-24, and
    # shows the demo's invented state only for measures DESE's files did not bring, labelled.
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    client.force_login(User.objects.get(email=services.persona("district_admin").email))
    rows = list(
        csv.DictReader(
            client.get(reverse("metrics:district", args=[riverton.pk]) + "?format=csv")
            .content.decode("utf-8-sig")
            .splitlines()
        )
    )
    real = [r for r in rows if r["Level"] == "State" and r["Metric code"] == "chronic_absence_10_pct"]
    assert [(r["School year"], Decimal(r["Value"])) for r in real] == [
        ("2023-24", attendance["Chronically Absent (10% or more)"])
    ]
    invented = {r["Metric code"] for r in rows if r["Level"] == f"State ({INVENTED_LABEL})"}
    assert "mcas_ela_me_pct" in invented and "chronic_absence_10_pct" not in invented
    html = client.get(reverse("metrics:district", args=[riverton.pk])).content.decode()
    assert INVENTED_LABEL in html

    # A Riverton school's page does the same: DESE's state line where DESE has one, the invented one,
    # labelled, where it has none — never the two in one line.
    school = Organization.objects.schools().filter(district=riverton).order_by("code").first()
    assert school is not None
    rows = list(
        csv.DictReader(
            client.get(reverse("metrics:school", args=[school.pk]) + "?format=csv")
            .content.decode("utf-8-sig")
            .splitlines()
        )
    )
    real_state = {r["Metric code"] for r in rows if r["Level"] == "State"}
    invented_state = {r["Metric code"] for r in rows if r["Level"] == f"State ({INVENTED_LABEL})"}
    assert "chronic_absence_10_pct" in real_state and "chronic_absence_10_pct" not in invented_state
    assert invented_state and not (real_state & invented_state)
    assert (
        f"State ({INVENTED_LABEL})"
        in client.get(reverse("metrics:school", args=[school.pk])).content.decode()
    )


def test_demo_without_dese_files_labels_every_state_figure_invented(client: Any) -> None:
    seed()
    client.force_login(User.objects.get(email=services.persona("state_admin").email))
    html = client.get(reverse("metrics:state", args=[root().pk])).content.decode()
    assert "Measures marked <strong>invented demo figures</strong>" in html
    assert "Chronically absent (10% or more)" in html
    # The demo's in-year attendance, month by month, on Riverton's district page (loaded with htmx).
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    part = reverse("metrics:district-monthly", args=[riverton.pk])
    assert f'hx-get="{part}"' in client.get(reverse("metrics:district", args=[riverton.pk])).content.decode()
    page = client.get(part, HTTP_HX_REQUEST="true").content.decode()
    # "This year" is the current school year once a month of it has begun (in July and August, the one
    # just ended), beside the year before.
    current, begun = months_begun(timezone.localdate())
    shown = current if begun else current - 1
    assert "Chronically absent (in-year), Riverton Public Schools" in page
    assert year_label(shown) in page and year_label(shown - 1) in page


def test_seed_demo_refuses_to_create_demo_accounts_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with DJANGO_PRODUCTION=1"):
        call_command("seed_demo", "--scale", "demo", "--print-logins", stdout=StringIO())
    assert not User.objects.exists()
    assert not Organization.objects.filter(code=RIVERTON_CODE).exists()
