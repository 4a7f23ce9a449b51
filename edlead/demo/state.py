"""The state scale: about 400 districts, 1,850 schools, 12,000 leaders and 60,000 educators.

Written on top of the demo scale (whose personas and Riverton stay as they are, so the benchmark
measures the same pages at both scales). District codes run 9001xxxx-9397xxxx: they begin with 9,
which no real DESE code does, and stay clear of the demo's 99xxxxxx. Sizes follow the shape of a
real state: many one- to five-school districts, a few large urban ones split into networks,
charter, regional vocational and collaborative districts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from . import names
from .builder import Builder, july_first, june_last, slug

Kind = Organization.Kind
SchoolType = Organization.SchoolType
DistrictType = Organization.DistrictType
Role = Position.Role

SEED = "edlead-state-v1"
MEPID_RANGE = (90_000_000, 99_000_000)
FIRST_PREFIX = 9001
FIRST_DISTRICT_CODE = f"{FIRST_PREFIX}0000"

# The state part; the demo scale adds 3 districts, 56 schools, ~150 leaders and ~600 educators.
DISTRICTS = 397
SCHOOLS = 1794
LEADERS = 11_850
EDUCATORS = 59_400

GRADES = {
    "elementary": "K,01,02,03,04,05",
    "middle": "06,07,08",
    "high": "09,10,11,12",
    "jrsr": "07,08,09,10,11,12",
    "vocational": "09,10,11,12",
    "charter": "K,01,02,03,04,05,06,07,08",
    "alternative": "06,07,08,09,10,11,12",
    "innovation": "K,01,02,03,04,05,06,07,08",
}
CODE_BASE = {
    "elementary": 5,
    "innovation": 300,
    "middle": 400,
    "high": 505,
    "jrsr": 505,
    "vocational": 605,
    "charter": 705,
    "alternative": 805,
}
TEACHER_WEIGHT = {
    "elementary": 1.0,
    "innovation": 1.0,
    "charter": 1.0,
    "middle": 1.4,
    "jrsr": 1.6,
    "high": 2.2,
    "vocational": 2.4,
    "alternative": 0.35,
}
CURRENT_APS = {
    "elementary": (0, 2),
    "innovation": (1, 2),
    "charter": (1, 2),
    "middle": (2, 3),
    "jrsr": (2, 3),
    "high": (3, 5),
    "vocational": (3, 4),
    "alternative": (0, 1),
}
REGIONS = ("North", "South", "East", "West", "Central")


@dataclass
class _District:
    org: Organization
    kind: str  # public / charter / vocational / collaborative
    size: int
    town: str
    schools: list[tuple[Organization, str]] = field(default_factory=list)


class StateGenerator:
    def __init__(self, root: Organization) -> None:
        self.root = root
        self.rng = random.Random(SEED)
        self.b = Builder(self.rng, MEPID_RANGE)
        self.leaders: set[int] = set()  # id() of people who held a leader role
        self.educators = 0

    # --- shape ------------------------------------------------------------------------------------
    def _sizes(self, kinds: list[str]) -> list[int]:
        rng = self.rng
        sizes = []
        big = [40, 32, 26, 22, 18]
        for kind in kinds:
            if kind == "charter":
                sizes.append(1 if rng.random() < 0.7 else 2)
            elif kind == "vocational":
                sizes.append(1)
            elif kind == "collaborative":
                sizes.append(rng.randint(2, 3))
            elif big:
                sizes.append(big.pop(0))
            else:
                sizes.append(max(1, min(15, round(rng.lognormvariate(1.3, 0.7)))))
        adjustable = [i for i, k in enumerate(kinds) if k == "public" and sizes[i] < 15]
        while sum(sizes) > SCHOOLS:
            i = rng.choice(adjustable)
            if sizes[i] > 1:
                sizes[i] -= 1
        while sum(sizes) < SCHOOLS:
            i = rng.choice(adjustable)
            sizes[i] += 1
        return sizes

    def build(self) -> dict[str, int]:
        b, rng = self.b, self.rng
        towns = names.town_names()
        rng.shuffle(towns)
        kinds = ["charter"] * 60 + ["vocational"] * 22 + ["collaborative"] * 6
        kinds += ["public"] * (DISTRICTS - len(kinds))
        rng.shuffle(kinds)
        # Public districts first, the big urban ones leading, so their codes are easy to find (9001..9005).
        kinds.sort(key=lambda k: k != "public")
        sizes = self._sizes(kinds)

        districts: list[_District] = []
        for i, (kind, size) in enumerate(zip(kinds, sizes, strict=True)):
            town = towns[i]
            code = f"{FIRST_PREFIX + i:04d}0000"
            name, dtype = {
                "public": (f"{town} Public Schools", DistrictType.PUBLIC),
                "charter": (f"{town} Community Charter School (District)", DistrictType.CHARTER),
                "vocational": (f"{town} Regional Vocational Technical", DistrictType.REGIONAL_VOCATIONAL),
                "collaborative": (f"{town} Educational Collaborative", DistrictType.COLLABORATIVE),
            }[kind]
            org = b.org(
                kind=Kind.DISTRICT,
                parent=self.root,
                name=name,
                code=code,
                district_type=dtype,
                town=town,
                postal_code=f"019{i % 100:02d}",
                address_line1=f"{rng.randint(1, 400)} {rng.choice(names.STREETS)}",
                opened_on=dt.date(rng.randint(1850, 1990), 7, 1),
            )
            districts.append(_District(org, kind, size, town))
        b.save_level([d.org for d in districts])

        networks: dict[int, list[Organization]] = {}
        for d in districts:
            if d.kind == "public" and d.size >= 16:
                count = max(2, round(d.size / 12))
                label = "quadrant" if count == 4 else rng.choice(["network", "region"])
                word = {"quadrant": "Quadrant", "region": "Region", "network": "Network"}[label]
                networks[d.org.pk] = [
                    b.org(kind=Kind.NETWORK, parent=d.org, name=f"{REGIONS[n]} {word}", network_label=label)
                    for n in range(count)
                ]
        b.save_level([n for nets in networks.values() for n in nets])

        schools: list[Organization] = []
        for d in districts:
            parents = networks.get(d.org.pk, [d.org])
            for n, (name, level, school_type) in enumerate(self._school_plan(d)):
                d.schools.append(
                    (
                        b.org(
                            kind=Kind.SCHOOL,
                            parent=parents[n % len(parents)],
                            name=name,
                            school_type=school_type,
                            grades=GRADES[level],
                            code="",
                            town=d.town,
                            postal_code=d.org.postal_code,
                            address_line1=f"{rng.randint(1, 999)} {rng.choice(names.STREETS)}",
                            opened_on=dt.date(rng.randint(1900, 2020), 9, 1),
                        ),
                        level,
                    )
                )
            used: dict[str, int] = {}
            for org, level in d.schools:
                offset = used.get(level, 0)
                used[level] = offset + 1
                org.code = f"{d.org.code[:4]}{CODE_BASE[level] + offset * 5:04d}"  # type: ignore[index]
                schools.append(org)
        b.save_level(schools)

        for d in districts:
            self._district_people(d, networks.get(d.org.pk, []))
        self._top_up_leaders(districts)
        self._educators(districts)
        b.save_people()
        return {
            "districts": len(districts),
            "schools": len(schools),
            "leaders": len(self.leaders),
            "educators": self.educators,
            "people": len(b.people),
            "positions": len(b.positions),
        }

    def _school_plan(self, d: _District) -> list[tuple[str, str, str]]:
        rng, town, size = self.rng, d.town, d.size
        if d.kind == "charter":
            if size == 1:
                return [(f"{town} Community Charter School", "charter", SchoolType.CHARTER)]
            return [
                (f"{town} Community Charter School Lower Campus", "charter", SchoolType.CHARTER),
                (f"{town} Community Charter School Upper Campus", "high", SchoolType.CHARTER),
            ]
        if d.kind == "vocational":
            return [(f"{town} Regional Technical High School", "vocational", SchoolType.VOCATIONAL)]
        stems = rng.sample(names.SCHOOL_STEMS, size)
        if d.kind == "collaborative":
            return [
                (f"{stem} Therapeutic Day Program", "alternative", SchoolType.ALTERNATIVE) for stem in stems
            ]
        if size == 1:
            return [(f"{stems[0]} School", "elementary", SchoolType.PUBLIC)]
        if size == 2:
            return [
                (f"{stems[0]} Elementary School", "elementary", SchoolType.PUBLIC),
                (f"{town} Junior-Senior High School", "jrsr", SchoolType.PUBLIC),
            ]
        highs, middles = max(1, size // 8), max(1, size // 5)
        plan: list[tuple[str, str, str]] = [(f"{town} High School", "high", SchoolType.PUBLIC)]
        plan += [(f"{stem} High School", "high", SchoolType.PUBLIC) for stem in stems[1:highs]]
        plan += [
            (f"{stem} Middle School", "middle", SchoolType.PUBLIC) for stem in stems[highs : highs + middles]
        ]
        rest = stems[highs + middles :]
        if size >= 20:
            plan.append((f"{rest.pop()} Innovation Academy", "innovation", SchoolType.INNOVATION))
            plan.append((f"{rest.pop()} Alternative Program", "alternative", SchoolType.ALTERNATIVE))
        plan += [(f"{stem} Elementary School", "elementary", SchoolType.PUBLIC) for stem in rest]
        return plan

    # --- people -----------------------------------------------------------------------------------
    def _leader(self, d: _District) -> Person:
        person = self.b.person(domain=f"{slug(d.town)}.example.org", employee_prefix=d.org.code[:4])  # type: ignore[index]
        self.leaders.add(id(person))
        return person

    def _district_people(self, d: _District, networks: list[Organization]) -> None:
        b, rng = self.b, self.rng
        chief_title = {
            "charter": "Executive Director",
            "collaborative": "Executive Director",
            "vocational": "Superintendent-Director",
        }.get(d.kind, "Superintendent")
        start = rng.randint(2014, 2025)
        b.position(
            self._leader(d), d.org, Role.SUPERINTENDENT, starts_on=july_first(start), title=chief_title
        )
        if rng.random() < 0.6:
            b.position(
                self._leader(d),
                d.org,
                Role.SUPERINTENDENT,
                starts_on=july_first(start - rng.randint(3, 10)),
                ends_on=june_last(start),
                title=chief_title,
            )
        if d.kind == "public":
            for _ in range(2 if d.size >= 15 else 1 if d.size >= 5 else 0):
                b.position(
                    self._leader(d),
                    d.org,
                    Role.ASSISTANT_SUPERINTENDENT,
                    starts_on=july_first(rng.randint(2015, 2025)),
                )
            for n in range(d.size // 4):
                b.position(
                    self._leader(d),
                    d.org,
                    Role.DIRECTOR,
                    starts_on=july_first(rng.randint(2012, 2025)),
                    title=(
                        "Director of Curriculum",
                        "Director of Special Education",
                        "Director of Human Resources",
                        "Director of English Learner Education",
                    )[n % 4],
                )
        supervised = networks or (
            [d.org] if d.kind == "public" and 8 <= d.size < 16 and rng.random() < 0.5 else []
        )
        for unit in supervised:
            start = rng.randint(2016, 2025)
            title = "Executive Director of Schools" if networks else "Principal Supervisor"
            b.position(
                self._leader(d), unit, Role.PRINCIPAL_SUPERVISOR, starts_on=july_first(start), title=title
            )
            if rng.random() < 0.4:
                b.position(
                    self._leader(d),
                    unit,
                    Role.PRINCIPAL_SUPERVISOR,
                    starts_on=july_first(start - rng.randint(3, 8)),
                    ends_on=june_last(start),
                    title=title,
                )
        if d.size >= 10:
            for _ in range(rng.randint(1, 2)):
                coach = b.person(domain=f"{slug(d.town)}.example.org", employee_prefix=d.org.code[:4])  # type: ignore[index]
                b.position(
                    coach,
                    d.org,
                    Role.COACH,
                    starts_on=july_first(rng.randint(2015, 2025)),
                    title="Leadership coach",
                )

        for org, level in d.schools:
            start = rng.randint(2010, 2026)
            head = self._leader(d)
            title = "Head of School" if org.school_type == SchoolType.CHARTER else ""
            b.position(head, org, Role.PRINCIPAL, starts_on=july_first(start), title=title)
            if len(d.schools) > 1 and rng.random() < 0.3:
                other = rng.choice([s for s, _ in d.schools if s is not org])
                b.position(
                    head,
                    other,
                    Role.ASSISTANT_PRINCIPAL,
                    starts_on=july_first(start - rng.randint(2, 6)),
                    ends_on=june_last(start),
                )
            end = start
            for depth in range(3):
                if rng.random() >= (0.65, 0.45, 0.3)[depth]:
                    break
                began = end - rng.randint(3, 10)
                b.position(
                    self._leader(d),
                    org,
                    Role.PRINCIPAL,
                    starts_on=july_first(began),
                    ends_on=june_last(end),
                    title=title,
                )
                end = began
            for _ in range(rng.randint(*CURRENT_APS[level])):
                b.position(
                    self._leader(d),
                    org,
                    Role.ASSISTANT_PRINCIPAL,
                    starts_on=july_first(rng.randint(2012, 2026)),
                )
            for _ in range(rng.randint(0, 2)):
                began = rng.randint(2000, 2018)
                b.position(
                    self._leader(d),
                    org,
                    Role.ASSISTANT_PRINCIPAL,
                    starts_on=july_first(began),
                    ends_on=june_last(began + rng.randint(2, 7)),
                )

    def _top_up_leaders(self, districts: list[_District]) -> None:
        """Older history (assistant principals who have since left) until the leader count is reached."""
        rng = self.rng
        all_schools = [(d, org) for d in districts for org, _ in d.schools]
        while len(self.leaders) < LEADERS:
            d, org = rng.choice(all_schools)
            began = rng.randint(1996, 2012)
            self.b.position(
                self._leader(d),
                org,
                Role.ASSISTANT_PRINCIPAL,
                starts_on=july_first(began),
                ends_on=june_last(began + rng.randint(2, 6)),
            )

    def _educators(self, districts: list[_District]) -> None:
        b, rng = self.b, self.rng
        slots = [(d, org, level) for d in districts for org, level in d.schools]
        weights = [TEACHER_WEIGHT[level] for _, _, level in slots]
        total = sum(weights)
        exact = [EDUCATORS * w / total for w in weights]
        quotas = [int(x) for x in exact]
        by_remainder = sorted(range(len(slots)), key=lambda i: (quotas[i] - exact[i], i))
        for i in by_remainder[: EDUCATORS - sum(quotas)]:
            quotas[i] += 1
        for (d, org, _level), quota in zip(slots, quotas, strict=True):
            domain, prefix = f"{slug(d.town)}.example.org", d.org.code[:4]  # type: ignore[index]
            leaders = max(1, round(quota * 0.08))
            for n in range(quota):
                person = b.person(domain=domain, employee_prefix=prefix, aspiring=rng.random() < 0.07)
                start = july_first(rng.randint(1995, 2026))
                if n < leaders:
                    title = names.TEACHER_LEADER_TITLES[n % len(names.TEACHER_LEADER_TITLES)]
                    b.position(person, org, Role.TEACHER_LEADER, starts_on=start, title=title)
                else:
                    b.position(person, org, Role.TEACHER, starts_on=start)
                if len(d.schools) > 1 and rng.random() < 0.1 and start.year > 2000:
                    other = rng.choice([s for s, _ in d.schools if s is not org])
                    b.position(
                        person,
                        other,
                        Role.TEACHER,
                        starts_on=july_first(start.year - rng.randint(2, 5)),
                        ends_on=june_last(start.year),
                    )
            self.educators += quota
