"""Visits: recorded by the evaluator (or someone allowed the educator's restricted record), notes and
feedback private to the visitor until released, the educator notified once, and an evaluative visit
counting as evidence of the cycle only when released."""

from __future__ import annotations

import datetime as dt

import pytest

from edlead.access import policy
from edlead.access.tests.conftest import World
from edlead.core.editing import EditConflict
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.tests.factories import cycle_for
from edlead.notices.models import Notice
from edlead.visits import selectors, services
from edlead.visits.models import Visit

TODAY = dt.date.today()


def _visit(world: World, **kw: object) -> Visit:
    cycle = cycle_for(world.people["P1"], evaluator=world.people["SUP1"])
    args: dict[str, object] = {
        "actor": world.users["principal_supervisor"],
        "organization": world.orgs["S1"],
        "date": TODAY,
        "length_minutes": 45,
        "cycle": cycle,
        "evaluative": True,
        "notes": "Private: check the schedule",
        "feedback": "Strong routines in grade 2.",
    }
    args.update(kw)
    return services.visit_record(**args)  # type: ignore[arg-type]


def test_an_evaluative_visit_counts_as_evidence_once_its_feedback_is_released(world: World) -> None:
    first = cycle_for(world.people["P1"], evaluator=world.people["SUP1"])
    focus = list(first.framework.standards.get(code="I").indicators.all()[:2])
    visit = _visit(world, announced=False, focus_indicators=focus)
    cycle = visit.cycle
    assert cycle is not None and visit.focus_indicators.count() == 2 and not visit.announced
    assert sc.evidence_categories(cycle) == (set(), False)
    educator = world.users["school_leader"]
    shown = selectors.visit_shown(educator, visit)
    assert shown.notes is None and shown.feedback is None  # not released yet
    assert (
        selectors.visit_shown(world.users["principal_supervisor"], visit).notes
        == "Private: check the schedule"
    )

    with pytest.raises(ApplicationError, match="Only the visitor"):
        services.visit_release_feedback(actor=educator, visit=visit)
    released = services.visit_release_feedback(actor=world.users["principal_supervisor"], visit=visit)
    assert released.feedback_released_at is not None
    assert sc.evidence_categories(cycle) == ({2}, False)
    shown = selectors.visit_shown(educator, released)
    assert shown.feedback == "Strong routines in grade 2."
    notice = Notice.objects.get(person=world.people["P1"], kind=services.NOTICE_FEEDBACK)
    assert notice.once_key == f"visit-feedback:{visit.pk}"
    with pytest.raises(ApplicationError, match="already released"):
        services.visit_release_feedback(actor=world.users["principal_supervisor"], visit=visit)
    assert Notice.objects.filter(kind=services.NOTICE_FEEDBACK).count() == 1
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.visit_update(
            actor=world.users["principal_supervisor"], visit=visit, expected_version=2, notes="x"
        )
    assert AuditEvent.objects.filter(
        action=services.VISIT_FEEDBACK_RELEASED, subject_person_id=world.people["P1"].pk
    ).exists()


def test_a_non_evaluative_visit_is_not_evidence(world: World) -> None:
    visit = _visit(world, evaluative=False)
    services.visit_release_feedback(actor=world.users["principal_supervisor"], visit=visit)
    assert visit.cycle is not None and sc.evidence_categories(visit.cycle) == (set(), False)


def test_who_may_record_a_visit(world: World) -> None:
    cycle = cycle_for(world.people["P1"], evaluator=world.people["SUP1"])
    # Not the evaluator of that cycle: refused.
    with pytest.raises(ApplicationError, match="Only the evaluator"):
        _visit(world, actor=world.users["superintendent"], cycle=cycle)
    with pytest.raises(ApplicationError, match="belongs to an evaluation cycle"):
        _visit(world, cycle=None, educator=world.people["P1"], evaluative=True)
    with pytest.raises(ApplicationError, match="still to come has no notes"):
        _visit(world, date=TODAY + dt.timedelta(days=1))
    # Without a cycle: who may read the educator's restricted record (the chain) may record one; a
    # coach or an assistant principal may not.
    ok = _visit(
        world, actor=world.users["superintendent"], cycle=None, educator=world.people["P1"], evaluative=False
    )
    assert ok.visitor == world.people["SUPT"]
    for key in ("assistant_principal", "coach"):
        with pytest.raises(ApplicationError, match="may not record visits"):
            _visit(world, actor=world.users[key], cycle=None, educator=world.people["P1"], evaluative=False)
    assert Visit.objects.count() == 1


def test_visit_rule_and_version_check(world: World) -> None:
    visit = _visit(world)
    for key, want in {
        "school_leader": True,  # the educator visited
        "principal_supervisor": True,  # evaluator and chain
        "superintendent": True,
        "hr": True,
        "assistant_principal": False,
        "coach": False,
        "district_admin": False,
    }.items():
        user = world.users[key]
        assert policy.can(user, services.VISIT_VIEW, visit) is want, key
        assert selectors.visits_for(user).filter(pk=visit.pk).exists() is want, key
    sup = world.users["principal_supervisor"]
    services.visit_update(actor=sup, visit=visit, expected_version=1, notes="Tab one")
    with pytest.raises(EditConflict):
        services.visit_update(actor=sup, visit=visit, expected_version=1, notes="Tab two")
    assert list(selectors.visits_made_by(sup)) == [visit]
