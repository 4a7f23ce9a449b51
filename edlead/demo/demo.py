"""The demo scale: Riverton Public Schools (48 schools in four quadrants) and two smaller districts.

Riverton is shaped like a real urban district: a superintendent, an assistant superintendent of
teaching and learning, four principal supervisors ("Executive Director of Instruction and School
Leadership", one per quadrant, about 12 principals each), a principal in every school with some
history (predecessors whose positions ended, principals who were assistant principals elsewhere,
supervisors who were principals), assistant principals in the larger schools, teacher leaders,
about ten teachers per school of whom a few aspire to lead, coaches, directors and HR staff.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from . import names
from .builder import Builder, july_first, june_last

Kind = Organization.Kind
SchoolType = Organization.SchoolType
Role = Position.Role

SEED = "edlead-demo-v1"
MEPID_RANGE = (99_000_000, 100_000_000)

RIVERTON_CODE = "99010000"
LAKEMONT_CODE = "99020000"
HARBORLIGHT_CODE = "99030000"
QUADRANTS = ("North", "South", "East", "West")
SUPERVISOR_TITLE = "Executive Director of Instruction and School Leadership"


@dataclass(frozen=True)
class Level:
    """What a kind of school looks like: grades, staff sizes, code block."""

    grades: str
    teachers: tuple[int, int]
    assistant_principals: tuple[int, int]
    teacher_leaders: int
    code_base: int


LEVELS: dict[str, Level] = {
    "elc": Level("PK,K", (6, 7), (0, 0), 1, 1),
    "elementary": Level("PK,K,01,02,03,04,05,06", (9, 11), (0, 1), 1, 5),
    "k8": Level("K,01,02,03,04,05,06,07,08", (11, 12), (1, 1), 1, 300),
    "middle": Level("06,07,08", (11, 12), (1, 2), 2, 400),
    "high": Level("09,10,11,12", (14, 16), (2, 3), 3, 505),
    "vocational": Level("09,10,11,12", (14, 15), (2, 2), 2, 605),
    "innovation": Level("06,07,08,09,10,11,12", (10, 11), (1, 1), 1, 705),
    "alternative": Level("07,08,09,10,11,12", (5, 6), (0, 0), 1, 805),
}

# (name, level, school type) — every name invented.
RIVERTON_SCHOOLS: list[tuple[str, str, str]] = [
    *[(f"{stem} Elementary School", "elementary", SchoolType.PUBLIC) for stem in names.SCHOOL_STEMS[:27]],
    ("Riverton Early Learning Center", "elc", SchoolType.PUBLIC),
    ("Sparrow Hill Arts Magnet School", "elementary", SchoolType.PUBLIC),
    ("Mapleton Square Community School", "k8", SchoolType.PUBLIC),
    ("Elmcroft School", "k8", SchoolType.PUBLIC),
    ("Pinecrest Road School", "k8", SchoolType.PUBLIC),
    *[
        (f"{stem} Middle School", "middle", SchoolType.PUBLIC)
        for stem in (
            "Wrenfield",
            "Ferncliff",
            "Linden Court",
            "Osprey Point",
            "Thistle Lane",
            "Mulberry Street",
            "Beacon Rise",
        )
    ],
    ("Riverton Central High School", "high", SchoolType.PUBLIC),
    ("Eastbrook High School", "high", SchoolType.PUBLIC),
    ("Falcon Ridge High School", "high", SchoolType.PUBLIC),
    ("Summit Avenue High School", "high", SchoolType.PUBLIC),
    ("Lighthouse Road High School", "high", SchoolType.PUBLIC),
    ("Riverton Career and Technical Academy", "vocational", SchoolType.VOCATIONAL),
    ("Clocktower Innovation Academy", "innovation", SchoolType.INNOVATION),
    ("Riverton Pathways Program", "alternative", SchoolType.ALTERNATIVE),
    ("Silverleaf Academy", "alternative", SchoolType.ALTERNATIVE),
]

LAKEMONT_SCHOOLS: list[tuple[str, str, str]] = [
    ("Cobble Hill Elementary School", "elementary", SchoolType.PUBLIC),
    ("Red Maple Elementary School", "elementary", SchoolType.PUBLIC),
    ("Aspen Hollow Elementary School", "elementary", SchoolType.PUBLIC),
    ("Lakemont Preschool", "elc", SchoolType.PUBLIC),
    ("Lakemont Middle School", "middle", SchoolType.PUBLIC),
    ("Lakemont High School", "high", SchoolType.PUBLIC),
]

HARBORLIGHT_SCHOOLS: list[tuple[str, str, str]] = [
    ("Harborlight Community Charter School Lower Campus", "elementary", SchoolType.CHARTER),
    ("Harborlight Community Charter School Upper Campus", "high", SchoolType.CHARTER),
]


@dataclass
class DemoWorld:
    """The rows the personas and the benchmark need, after the demo scale is written."""

    riverton: Organization
    quadrants: dict[str, Organization]
    schools: list[Organization]
    key_people: dict[str, Person] = field(default_factory=dict)
    override_school: Organization | None = None


@dataclass
class _School:
    org: Organization
    level: str
    quadrant: str = ""


class DemoGenerator:
    def __init__(self, root: Organization) -> None:
        self.root = root
        self.rng = random.Random(SEED)
        self.b = Builder(self.rng, MEPID_RANGE)
        self.principals: dict[int, Person] = {}  # school pk -> a current principal created ahead of staffing

    # --- helpers ----------------------------------------------------------------------------------
    def _address(self, town: str, postal: str) -> dict[str, str]:
        number = self.rng.randint(10, 990)
        street = self.rng.choice(names.STREETS)
        return {
            "address_line1": f"{number} {street}",
            "town": town,
            "postal_code": postal,
            "phone": f"508-555-01{self.rng.randint(0, 99):02d}",
        }

    def _district(self, name: str, code: str, town: str, postal: str, district_type: str) -> Organization:
        return self.b.org(
            kind=Kind.DISTRICT,
            parent=self.root,
            name=name,
            code=code,
            district_type=district_type,
            grades="PK,K,01,02,03,04,05,06,07,08,09,10,11,12",
            opened_on=dt.date(1890 + self.rng.randint(0, 60), 7, 1),
            **self._address(town, postal),
        )

    def _schools(
        self, district: Organization, parents: list[Organization], plan: list[tuple[str, str, str]], town: str
    ) -> list[_School]:
        prefix = district.code[:4] if district.code else "9999"
        used: dict[str, int] = {}
        out = []
        for i, (name, level, school_type) in enumerate(plan):
            spec = LEVELS[level]
            offset = used.get(level, 0)
            used[level] = offset + 1
            number = spec.code_base + offset * 5
            opened = dt.date(1900 + self.rng.randint(0, 115), 9, 1)
            if school_type in (SchoolType.INNOVATION, SchoolType.CHARTER):
                opened = dt.date(2012 + self.rng.randint(0, 7), 8, 25)
            parent = parents[i % len(parents)]
            org = self.b.org(
                kind=Kind.SCHOOL,
                parent=parent,
                name=name,
                code=f"{prefix}{number:04d}",
                school_type=school_type,
                grades=spec.grades,
                opened_on=opened,
                **self._address(town, district.postal_code),
            )
            out.append(_School(org, level, parent.name.split()[0] if parent.is_network else ""))
        return out

    def _staff_school(
        self, school: _School, domain: str, prefix: str, *, principal: Person | None = None
    ) -> Person:
        """A school's principal (given or new), assistant principals, teacher leaders and teachers."""
        spec = LEVELS[school.level]
        b, rng, org = self.b, self.rng, school.org
        head_title = "Head of School" if org.school_type == SchoolType.CHARTER else ""
        if principal is None:
            principal = b.person(domain=domain, employee_prefix=prefix)
            start = july_first(rng.randint(2014, 2025))
            b.position(principal, org, Role.PRINCIPAL, starts_on=start, title=head_title)
        for _ in range(rng.randint(*spec.assistant_principals)):
            ap = b.person(domain=domain, employee_prefix=prefix)
            title = "Dean of Students" if org.school_type == SchoolType.CHARTER else ""
            b.position(
                ap, org, Role.ASSISTANT_PRINCIPAL, starts_on=july_first(rng.randint(2016, 2025)), title=title
            )
        for n in range(spec.teacher_leaders):
            leader = b.person(domain=domain, employee_prefix=prefix, aspiring=rng.random() < 0.5)
            title = names.TEACHER_LEADER_TITLES[n % 2 if school.level in ("elementary", "elc") else n % 3]
            if title == "Department head":
                title = f"Department head, {names.DEPARTMENTS[n % len(names.DEPARTMENTS)]}"
            b.position(
                leader, org, Role.TEACHER_LEADER, starts_on=july_first(rng.randint(2012, 2024)), title=title
            )
        for _ in range(rng.randint(*spec.teachers)):
            teacher = b.person(domain=domain, employee_prefix=prefix, aspiring=rng.random() < 0.12)
            b.position(teacher, org, Role.TEACHER, starts_on=july_first(rng.randint(2005, 2025)))
        return principal

    # --- the three districts ----------------------------------------------------------------------
    def build(self) -> DemoWorld:
        b, rng = self.b, self.rng
        riverton = self._district("Riverton Public Schools", RIVERTON_CODE, "Riverton", "01990", "public")
        lakemont = self._district("Lakemont Public Schools", LAKEMONT_CODE, "Lakemont", "01991", "public")
        harbor = self._district(
            "Harborlight Community Charter School (District)",
            HARBORLIGHT_CODE,
            "Riverton",
            "01990",
            "charter",
        )
        b.save_level([riverton, lakemont, harbor])
        quadrants = {
            q: b.org(kind=Kind.NETWORK, parent=riverton, name=f"{q} Quadrant", network_label="quadrant")
            for q in QUADRANTS
        }
        b.save_level(list(quadrants.values()))

        # Deal Riverton's schools to the quadrants level by level, so each gets its share of high schools.
        plan = list(RIVERTON_SCHOOLS)
        order = {lvl: i for i, lvl in enumerate(LEVELS)}
        rng.shuffle(plan)
        plan.sort(key=lambda s: order[s[1]])
        q_orgs = list(quadrants.values())
        r_schools = self._schools(riverton, q_orgs, plan, "Riverton")
        l_schools = self._schools(lakemont, [lakemont], LAKEMONT_SCHOOLS, "Lakemont")
        h_schools = self._schools(harbor, [harbor], HARBORLIGHT_SCHOOLS, "Riverton")
        b.save_level([s.org for s in r_schools + l_schools + h_schools])

        world = DemoWorld(riverton=riverton, quadrants=quadrants, schools=[s.org for s in r_schools])
        self._riverton_people(world, r_schools, l_schools)
        self._small_district_people(lakemont, l_schools, "lakemont.example.org", "L", "Superintendent", 2019)
        self._small_district_people(
            harbor, h_schools, "harborlight.example.org", "H", "Executive Director", 2017
        )
        b.save_people()
        return world

    def _riverton_people(self, world: DemoWorld, schools: list[_School], lakemont: list[_School]) -> None:
        b, rng = self.b, self.rng
        dom, pre = "riverton.example.org", "R"
        riverton = world.riverton
        by_quadrant = {q: [s for s in schools if s.quadrant == q] for q in QUADRANTS}

        # Central office.
        former_super = b.person(domain=dom, employee_prefix=pre)
        b.position(
            former_super, riverton, Role.SUPERINTENDENT, starts_on=july_first(2014), ends_on=june_last(2022)
        )
        superintendent = b.person(domain=dom, employee_prefix=pre)
        b.position(
            superintendent, riverton, Role.SUPERINTENDENT, starts_on=july_first(2022), title="Superintendent"
        )
        asst = b.person(domain=dom, employee_prefix=pre)
        central_high = next(s for s in schools if s.org.name == "Riverton Central High School")
        b.position(
            asst, central_high.org, Role.PRINCIPAL, starts_on=july_first(2011), ends_on=june_last(2021)
        )
        b.position(
            asst,
            riverton,
            Role.ASSISTANT_SUPERINTENDENT,
            starts_on=july_first(2021),
            title="Assistant Superintendent of Teaching and Learning",
        )
        world.key_people.update(superintendent=superintendent, assistant_superintendent=asst)
        for title in (
            "Director of Leadership Development",
            "Director of Human Resources",
            "Director of Research",
        ):
            director = b.person(domain=dom, employee_prefix=pre)
            b.position(
                director, riverton, Role.DIRECTOR, starts_on=july_first(rng.randint(2015, 2023)), title=title
            )
        for key, role, title in (
            ("coach", Role.COACH, "Leadership coach"),
            ("mentor", Role.COACH, "New principal mentor"),
            ("ml_coach", Role.COACH, "Instructional coach, multilingual education"),
            ("hr", Role.OTHER, "Licensure and certification specialist"),
            ("hr_generalist", Role.OTHER, "Human resources generalist"),
            ("district_admin", Role.OTHER, "Data systems manager"),
            ("program_coordinator", Role.OTHER, "Aspiring Leaders Program coordinator"),
            ("cabinet", Role.OTHER, "Chief of Staff"),
        ):
            person = b.person(domain=dom, employee_prefix=pre)
            b.position(person, riverton, role, starts_on=july_first(rng.randint(2015, 2024)), title=title)
            world.key_people[key] = person

        # Principal supervisors: each was a principal in another quadrant before; East's came from Lakemont
        # in 2023 when the first East supervisor retired.
        principals = self.principals
        for i, q in enumerate(QUADRANTS):
            sup = b.person(domain=dom, employee_prefix=pre)
            world.key_people[f"supervisor_{q.lower()}"] = sup
            start_year = 2020 + i % 3
            if q == "East":
                retired = b.person(domain=dom, employee_prefix=pre)
                b.position(
                    retired,
                    world.quadrants[q],
                    Role.PRINCIPAL_SUPERVISOR,
                    starts_on=july_first(2016),
                    ends_on=june_last(2023),
                    title=SUPERVISOR_TITLE,
                )
                start_year = 2023
                former_school = next(s for s in lakemont if s.level == "high")
            else:
                other = by_quadrant[QUADRANTS[(i + 1) % 4]]
                former_school = next(
                    s for s in other if s.level == "elementary" and s.org.pk not in principals
                )
            b.position(
                sup,
                former_school.org,
                Role.PRINCIPAL,
                starts_on=july_first(start_year - 8),
                ends_on=june_last(start_year),
            )
            b.position(
                sup,
                world.quadrants[q],
                Role.PRINCIPAL_SUPERVISOR,
                starts_on=july_first(start_year),
                title=SUPERVISOR_TITLE,
            )
            successor = b.person(domain="lakemont.example.org" if q == "East" else dom, employee_prefix=pre)
            b.position(successor, former_school.org, Role.PRINCIPAL, starts_on=july_first(start_year))
            principals[former_school.org.pk] = successor

        # The persona principal: leads the first North elementary school, was an AP elsewhere before.
        north_first = next(
            s for s in by_quadrant["North"] if s.level == "elementary" and s.org.pk not in principals
        )
        persona_principal = b.person(domain=dom, employee_prefix=pre, first="Imani", last=names.LAST_NAMES[2])
        world.key_people["principal"] = persona_principal
        principals[north_first.org.pk] = persona_principal
        ap_school = next(s for s in by_quadrant["South"] if s.level == "middle")
        b.position(
            persona_principal,
            ap_school.org,
            Role.ASSISTANT_PRINCIPAL,
            starts_on=july_first(2016),
            ends_on=june_last(2021),
        )
        b.position(persona_principal, north_first.org, Role.PRINCIPAL, starts_on=july_first(2021))

        # Other schools: some predecessors, some principals promoted from assistant principal elsewhere.
        for s in schools:
            if s.org.pk in principals:
                continue
            roll = rng.random()
            if roll < 0.55:
                continue  # a fresh principal, created by _staff_school
            start = rng.randint(2016, 2025)
            head = b.person(domain=dom, employee_prefix=pre)
            b.position(head, s.org, Role.PRINCIPAL, starts_on=july_first(start))
            principals[s.org.pk] = head
            if roll < 0.8:
                before = b.person(domain=dom, employee_prefix=pre)
                b.position(
                    before,
                    s.org,
                    Role.PRINCIPAL,
                    starts_on=july_first(start - rng.randint(4, 12)),
                    ends_on=june_last(start),
                )
            else:
                elsewhere = rng.choice([o for o in schools if o is not s and o.level != "elc"])
                b.position(
                    head,
                    elsewhere.org,
                    Role.ASSISTANT_PRINCIPAL,
                    starts_on=july_first(start - rng.randint(3, 6)),
                    ends_on=june_last(start),
                )

        for s in schools:
            self._staff_school(s, dom, pre, principal=principals.get(s.org.pk))
            if s.org.pk == north_first.org.pk:
                teacher = b.person(
                    domain=dom, employee_prefix=pre, first="Mira", last=names.LAST_NAMES[0], aspiring=True
                )
                teacher.leadership_interests = "Assistant principal; Instructional coaching"
                b.position(teacher, s.org, Role.TEACHER, starts_on=july_first(2018), title="Grade 4 teacher")
                world.key_people["educator"] = teacher

        # A caseload rebalance: an East school's principal reports to the North supervisor.
        world.override_school = next(s.org for s in by_quadrant["East"] if s.level == "elementary")

    def _small_district_people(
        self, district: Organization, schools: list[_School], dom: str, pre: str, chief_title: str, since: int
    ) -> None:
        b, rng = self.b, self.rng
        chief = b.person(domain=dom, employee_prefix=pre)
        b.position(chief, district, Role.SUPERINTENDENT, starts_on=july_first(since), title=chief_title)
        for s in schools:
            if s.org.pk in self.principals:  # Lakemont High: its principal since 2023 came with Riverton's
                self._staff_school(s, dom, pre, principal=self.principals[s.org.pk])
            elif rng.random() < 0.4:
                before = b.person(domain=dom, employee_prefix=pre)
                b.position(before, s.org, Role.PRINCIPAL, starts_on=july_first(2008), ends_on=june_last(2019))
                head = b.person(domain=dom, employee_prefix=pre)
                b.position(
                    head,
                    s.org,
                    Role.PRINCIPAL,
                    starts_on=july_first(2019),
                    title="Head of School" if s.org.school_type == SchoolType.CHARTER else "",
                )
                self._staff_school(s, dom, pre, principal=head)
            else:
                self._staff_school(s, dom, pre)
