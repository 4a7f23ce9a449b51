"""Who sees what of coaching — relationship rules, not organization scopes (declared from `apps.py`).

- `COACHING_VIEW` (a relationship: who, kind, dates, cycles and goals, hours): the coachee, whoever
  holds a COACH or MENTOR relationship with them, their supervision chain, and the program coordinators
  and administrators who assign coaches and mentors. Never a session's focus, actions or notes.
- `COACHING_NOTES` (a session's focus, agreed actions and notes): the coachee, and the holder of a COACH
  or MENTOR relationship with them in force today — further narrowed by `selectors.sessions_readable` to
  the coach of the session's own relationship. A district-wide COACH role gives nothing: the rule names
  no role. Evaluators, supervisors, HR and superintendents are not in it.
- `COACHING_NOTES_SHARED`: the sessions the coachee has shared (`shared_with = supervision`), read also
  by their evaluator and supervision chain — on the coaching pages only; no evaluation page, export or
  search reads sessions at all."""

from __future__ import annotations

from edlead.access import policy
from edlead.access.models import Relationship, RoleGrant

COACHING_VIEW = "coaching.view"
COACHING_NOTES = "coaching.notes"
COACHING_NOTES_SHARED = "coaching.notes_shared"

COACH_KINDS = frozenset({Relationship.Kind.COACH, Relationship.Kind.MENTOR})
ASSIGNERS = frozenset(
    {RoleGrant.Role.PROGRAM_COORDINATOR, RoleGrant.Role.DISTRICT_ADMIN, RoleGrant.Role.STATE_ADMIN}
)


def declare() -> None:
    from edlead.coaching.models import CoachingRelationship, CoachingSession

    policy.declare(
        CoachingRelationship,
        COACHING_VIEW,
        policy.Rule(
            person="coachee",
            relationships=COACH_KINDS,
            chain=True,
            roles=ASSIGNERS,
            label="A coaching relationship (no notes): the coachee, their coaches and mentors, their "
            "supervision chain, the coordinators who assign mentors",
        ),
    )
    policy.declare(
        CoachingSession,
        COACHING_NOTES,
        policy.Rule(
            person="relationship__coachee",
            relationships=COACH_KINDS,
            label="Coaching notes: the coachee and their coach or mentor only",
        ),
    )
    policy.declare(
        CoachingSession,
        COACHING_NOTES_SHARED,
        policy.Rule(
            person="relationship__coachee",
            relationships=COACH_KINDS | {Relationship.Kind.EVALUATOR},
            chain=True,
            label="Coaching notes the coachee shared: also their evaluator and supervision chain",
        ),
    )
