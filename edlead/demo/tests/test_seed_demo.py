"""The seed_demo command on an empty database: determinism, `--if-empty`, printed logins; real DESE codes
and names stay clear of the demo's. The demo's contents are tested in test_demo_world.py."""

from __future__ import annotations

import csv
import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from edlead.access.models import User
from edlead.demo import services
from edlead.demo.demo import RIVERTON_CODE
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.testing import make_district

pytestmark = pytest.mark.django_db
Kind = Organization.Kind
Role = Position.Role
DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "dese"
DIRECTORY = DATA / "school" / "directory_2016-17.csv"
LOGIN_LINE = re.compile(r"^user: (\S+@\S+)  password: (\S+)$")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the demo rows that depends on neither primary keys nor the database's row order."""
    by_pk = dict(Organization.objects.values_list("pk", "code"))
    rows = [
        f"org|{o.kind}|{o.code}|{o.name}|{by_pk.get(o.parent_id or 0) or ''}|{o.grades}"
        f"|{o.address_line1}|{o.opened_on}"
        for o in Organization.objects.exclude(kind=Kind.STATE)
    ]
    rows += [
        f"person|{p.mepid}|{p.first_name}|{p.last_name}|{p.preferred_name}|{p.email}|{p.is_aspiring_leader}"
        for p in Person.objects.all()
    ]
    rows += [
        f"position|{pos.person.mepid}|{pos.organization.code or pos.organization.name}|{pos.role}|{pos.title}"
        f"|{pos.starts_on}|{pos.ends_on}|{pos.fte}"
        for pos in Position.objects.select_related("person", "organization")
    ]
    rows += [
        f"user|{u.email}|{u.person.mepid if u.person else ''}" for u in User.objects.select_related("person")
    ]
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


def test_seeding_is_deterministic() -> None:
    digests = []
    for _ in range(2):
        with transaction.atomic():
            seed("--scale", "demo")
            digests.append(digest())
            transaction.set_rollback(True)
    assert Organization.objects.count() == 0
    assert digests[0] == digests[1]


def test_if_empty_skips_a_database_holding_organizations() -> None:
    make_district(name="Real District", code="00350000")
    output = seed("--scale", "demo", "--if-empty")
    assert "no demo data written" in output
    assert not Organization.objects.filter(code=RIVERTON_CODE).exists()


def test_if_empty_seeds_an_empty_database_and_prints_logins() -> None:
    output = seed("--scale", "demo", "--if-empty", "--print-logins")
    assert Organization.objects.filter(code=RIVERTON_CODE).exists()
    logins = [m.groups() for m in map(LOGIN_LINE.match, output.splitlines()) if m]
    assert logins == [(p.email, services.DEMO_PASSWORD) for p in services.PERSONAS]
    # Every line about an account is either a role label or an exact `user: …  password: …` line.
    again = seed("--scale", "demo", "--if-empty", "--print-logins").splitlines()
    assert [line for line in again if line.startswith("user:")] == [
        f"user: {p.email}  password: {services.DEMO_PASSWORD}" for p in services.PERSONAS
    ]


def _real_codes() -> set[str]:
    codes = set()
    files = [
        DIRECTORY,
        *DATA.glob("district/*/PublicSchoolDistrict.csv"),
        *DATA.glob("district/*/locations.csv"),
    ]
    for path in files:
        if not path.exists():
            continue
        with path.open(encoding="latin-1", newline="") as fh:
            for row in csv.DictReader(fh):
                for column, value in row.items():
                    if column and "code" in column.lower() and value and value.strip().isdigit():
                        codes.add(value.strip().zfill(8))
    return codes


def test_real_dese_codes_never_begin_with_9() -> None:
    if not DIRECTORY.exists():
        pytest.skip(f"{DIRECTORY} is not present (the shared DESE data sits beside the repository)")
    codes = _real_codes()
    assert len(codes) > 1000
    assert [c for c in codes if c.startswith("9")] == []  # demo uses 99…, the state scale 9001…-9397…
