"""Who may read and act on the pipeline's records. Built-in actions (edlead/access/policy.py):

- `PIPELINE_VIEW` on a district (held district-wide): its pool, succession view and the outcomes of its
  leaders' preparation programs — the superintendent, principal supervisors, HR, program coordinators and
  administrators. `SUCCESSION_EDIT` on a school: naming its successors — its principal supervisor and the
  superintendent.
- `HIRING_ADVICE` (district-wide): the applications to the district's postings — the hiring team.

Declared rules, beside their models:
- A pool entry: the person, their supervision chain, HR, coordinators and administrators (`ENTRY_READ`);
  the pool pages read by `PIPELINE_VIEW` instead.
- A readiness note: the person's supervision chain, HR and administrators read (`READINESS_READ`); only the
  chain writes one (`READINESS_WRITE`). Never the candidate.
- A placement and its hours: the candidate, their chain, HR, coordinators, administrators (`PLACEMENT_READ`),
  the mentor principal (`PLACEMENT_MENTOR`: signs the hours) and the program supervisor
  (`PLACEMENT_SUPERVISE`: signs off the practicum).
- Self-reported demographics: the person alone; everyone else sees only suppressed aggregates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.pipeline.models import Placement, PoolEntry, ReadinessNote

Role = RoleGrant.Role
ENTRY_READ = "pipeline.entry.read"
READINESS_READ = "pipeline.readiness.read"
READINESS_WRITE = "pipeline.readiness.write"
PLACEMENT_READ = "pipeline.placement.read"
PLACEMENT_MENTOR = "pipeline.placement.mentor"
PLACEMENT_SUPERVISE = "pipeline.placement.supervise"
_KEEPERS = frozenset({Role.HR, Role.DISTRICT_ADMIN, Role.STATE_ADMIN})


def declare() -> None:
    """From PipelineConfig.ready()."""
    policy.declare(
        PoolEntry,
        ENTRY_READ,
        policy.Rule(
            person="person",
            chain=True,
            roles=_KEEPERS | {Role.PROGRAM_COORDINATOR},
            label="An aspiring leader's pool entry: the person, their chain, HR, coordinators",
        ),
    )
    policy.declare(
        ReadinessNote,
        READINESS_READ,
        policy.Rule(
            person="person",
            owner=False,
            chain=True,
            roles=_KEEPERS,
            label="A readiness note: the person's supervision chain and HR, never the candidate",
        ),
    )
    policy.declare(
        ReadinessNote,
        READINESS_WRITE,
        policy.Rule(
            person="person",
            owner=False,
            chain=True,
            label="Writing a readiness note: the person's supervision chain",
        ),
    )
    policy.declare(
        Placement,
        PLACEMENT_READ,
        policy.Rule(
            person="person",
            chain=True,
            roles=_KEEPERS | {Role.PROGRAM_COORDINATOR},
            label="A practicum placement: the candidate, their chain, HR and coordinators",
        ),
    )
    policy.declare(
        Placement,
        PLACEMENT_MENTOR,
        policy.Rule(person="mentor", label="A practicum placement's hours to sign: its mentor principal"),
    )
    policy.declare(
        Placement,
        PLACEMENT_SUPERVISE,
        policy.Rule(person="supervisor", label="A practicum's sign-off: the program's supervisor"),
    )


_CHAIN = policy.Rule(owner=False, chain=True)


def in_chain_of(user: Any, person_id: int) -> bool:
    """Is `user` in the person's supervision chain (their principal, supervisor, superintendent)?"""
    from edlead.people.models import Person

    if person_id == getattr(user, "person_id", None):
        return False
    return Person.objects.filter(pk=person_id).filter(policy.rule_q(user, _CHAIN)).exists()


def applications_readable(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Applications (or postings) the hiring team reads: everyone who advises on the district's postings
    (`HIRING_ADVICE`, district-wide) and those who manage them (`POSTING_MANAGE`: HR, administrators)."""
    return policy.visible_to(user, queryset, policy.HIRING_ADVICE) | policy.visible_to(
        user, queryset, policy.POSTING_MANAGE
    )


def placements_readable(user: Any, queryset: QuerySet[Placement] | None = None) -> QuerySet[Placement]:
    base = Placement.objects.all() if queryset is None else queryset
    return (
        policy.visible_to(user, base, PLACEMENT_READ)
        | policy.visible_to(user, base, PLACEMENT_MENTOR)
        | policy.visible_to(user, base, PLACEMENT_SUPERVISE)
    )


def get_placement(user: Any, pk: int) -> Placement:
    found = (
        placements_readable(user)
        .filter(pk=pk)
        .select_related(
            "person", "organization", "mentor", "supervisor", "signed_off_by", "candidacy__program"
        )
        .first()
    )
    if found is None:
        raise Http404("No such placement.")
    return found


def is_candidate(user: Any, placement: Placement) -> bool:
    return bool(getattr(user, "person_id", None)) and placement.person_id == user.person_id


def is_mentor(user: Any, placement: Placement) -> bool:
    return policy.can(user, PLACEMENT_MENTOR, placement)


def is_program_supervisor(user: Any, placement: Placement) -> bool:
    return policy.can(user, PLACEMENT_SUPERVISE, placement)
