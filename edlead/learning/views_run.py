"""Running programs: a session's roster with attendance per meeting, assessments and completion (for
the program's coordinators, `program.manage`); registrations waiting for a supervisor's approval; and
a program's effectiveness by Guskey's levels."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.learning import effectiveness as eff
from edlead.learning import services, services_completion
from edlead.learning.models import Attendance, Enrollment, Meeting, Program, Session
from edlead.lib.exports import csv_response

S = Enrollment.Status


def _managed_session(request: HttpRequest, pk: int) -> Session:
    """A session of a program the reader runs (404 otherwise: a participant does not learn it exists)."""
    session = Session.objects.select_related("program__provider").filter(pk=pk).first()
    if session is None or not policy.can(request.user, policy.PROGRAM_MANAGE, session.program):
        raise Http404("No such session of a program you run.")
    return session


def _roster_context(session: Session) -> dict[str, object]:
    meetings = services_completion.meetings(session)
    standings = services_completion.standings(session, meetings)
    marks = {
        (a.meeting_id, a.enrollment_id): a.present
        for a in Attendance.objects.filter(meeting__session=session).only(
            "meeting_id", "enrollment_id", "present"
        )
    }
    others = list(
        Enrollment.objects.filter(session=session, status__in=[S.WAITLISTED, S.PENDING])
        .select_related("person")
        .order_by("status", "created_at", "pk")
    )
    now = timezone.now()
    rows = [(st, [(m, marks.get((m.pk, st.enrollment.pk))) for m in meetings]) for st in standings]
    return {
        "session": session,
        "program": session.program,
        "meetings": meetings,
        "held": [m for m in meetings if m.starts_at <= now],
        "rows": rows,
        "others": others,
        "can_complete": bool(meetings) and max(m.starts_at for m in meetings) <= now,
        "now": now,
    }


@login_required
@require_safe
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    return render(request, "learning/roster.html", _roster_context(session))


ROSTER_HEADER = [
    "Name",
    "Status",
    "Meetings attended",
    "Meetings held",
    "Attendance %",
    "Assessment",
    "Completed on",
    "Missing for completion",
]


@login_required
@require_safe
def roster_csv(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    ctx = _roster_context(session)
    rows = [
        [
            st.enrollment.person.display_name,
            st.enrollment.get_status_display(),
            st.attended,
            st.meetings,
            st.share,
            {True: "Passed", False: "Not passed"}.get(st.enrollment.assessment_passed, ""),  # type: ignore[arg-type]
            st.enrollment.completed_on.isoformat() if st.enrollment.completed_on else "",
            st.missing,
        ]
        for st, _ in ctx["rows"]  # type: ignore[attr-defined]
    ]
    rows += [[e.person.display_name, e.get_status_display(), "", "", "", "", "", ""] for e in ctx["others"]]  # type: ignore[attr-defined]
    name = f"edlead-roster-{session.program.title[:40]}-{timezone.localtime(session.starts_at):%Y-%m-%d}.csv"
    response = csv_response(name, ROSTER_HEADER, rows)
    response.audit_label = "Session roster"  # type: ignore[attr-defined]
    return response


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = Meeting.objects.select_related("session__program").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    session = _managed_session(request, meeting.session_id)
    try:
        present = [int(v) for v in request.POST.getlist("present")]
        roster_ids = [int(v) for v in request.POST.getlist("roster")]
    except ValueError:
        messages.error(request, "The attendance form was not understood; nothing was saved.")
    else:
        try:
            n = services_completion.record_attendance(
                actor=request.user, meeting=meeting, present=present, roster=roster_ids
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Attendance saved for {timezone.localtime(meeting.starts_at):%d %b %Y}: {n} of {len(roster_ids)} present.",
            )
    return redirect(reverse("learning:roster", args=[session.pk]) + f"#meeting-{meeting.pk}")


@login_required
@require_POST
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = Enrollment.objects.select_related("session__program", "person").filter(pk=pk).first()
    if enrollment is None:
        raise Http404("No such registration.")
    session = _managed_session(request, enrollment.session_id)
    passed = {"passed": True, "not_passed": False, "": None}.get(request.POST.get("result", ""))
    try:
        services_completion.record_assessment(actor=request.user, enrollment=enrollment, passed=passed)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Assessment recorded for {enrollment.person.display_name}.")
    return redirect("learning:roster", pk=session.pk)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    try:
        result = services_completion.complete_session(actor=request.user, session=session)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        done = len(result.completed)
        text = f"{done} participant{'s' if done != 1 else ''} marked complete, with certificates and PDPs."
        if result.not_yet:
            text += f" {len(result.not_yet)} not yet: see “Missing for completion”."
        messages.success(request, text)
    return redirect("learning:roster", pk=session.pk)


@login_required
@require_safe
def approvals(request: HttpRequest) -> HttpResponse:
    pending = Enrollment.objects.filter(status=S.PENDING, session__starts_at__gt=timezone.now())
    rows = list(
        policy.visible_to(request.user, pending, services.ENROLLMENT_APPROVE)
        .exclude(person_id=getattr(request.user, "person_id", None) or 0)
        .select_related("person", "session__program__provider")
        .order_by("session__starts_at", "pk")[:200]
    )
    return render(request, "learning/approvals.html", {"rows": rows})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = Enrollment.objects.select_related("session__program", "person").filter(pk=pk).first()
    if enrollment is None or not policy.can(request.user, services.ENROLLMENT_APPROVE, enrollment):
        raise Http404("No such registration waiting for you.")
    approve = request.POST.get("decision") == "approve"
    try:
        row = services.decide(
            actor=request.user, enrollment=enrollment, approve=approve, note=request.POST.get("note", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        what = "approved" if approve else "declined"
        messages.success(
            request,
            f"{row.person.display_name}'s registration for {row.session.program.title} is {what}"
            + (f" ({row.get_status_display().lower()})." if approve else "."),
        )
    return redirect("learning:approvals")


@login_required
@require_safe
def effectiveness(request: HttpRequest, pk: int) -> HttpResponse:
    program = policy.get_for_user(
        request.user, Program.objects.select_related("provider", "organization"), policy.PROGRAM_MANAGE, pk=pk
    )
    from edlead.learning import outcomes

    data = eff.program_effectiveness(program)
    level5 = outcomes.level5(program, request.GET.get("outcome", ""))
    if request.GET.get("format") == "csv":
        response = csv_response(
            f"edlead-effectiveness-{program.pk}-{timezone.localdate():%Y-%m-%d}.csv",
            EFFECTIVENESS_HEADER,
            _effectiveness_rows(data, level5),
        )
        response.audit_label = "Program effectiveness"  # type: ignore[attr-defined]
        return response
    sessions = list(program.sessions.filter(Q(cancelled=False)).order_by("-starts_at", "-pk")[:50])
    return render(
        request,
        "learning/effectiveness.html",
        {
            "data": data,
            "program": program,
            "sessions": sessions,
            "level5": level5,
            "outcomes": outcomes.OUTCOMES,
            "rule": outcomes,
        },
    )


EFFECTIVENESS_HEADER = ["Level", "Measure", "People or schools", "Value", "Before", "Change", "Note"]


def _effectiveness_rows(data: eff.Effectiveness, level5: object) -> list[list[object]]:
    """The page's figures as rows; hidden figures stay hidden (empty, with the reason)."""
    hidden = f"fewer than {data.threshold}: not shown"
    rows: list[list[object]] = [
        ["", "Participants in sessions held", data.participants, data.participants, "", "", ""],
        [
            "",
            "Completed",
            data.completed,
            data.completion_rate if data.completion_rate is not None else "",
            "",
            "",
            "per cent",
        ],
    ]
    for f in data.reaction:
        rows.append(
            [
                "1 Reaction",
                f.label,
                f.n,
                f.value if f.value is not None else "",
                "",
                "",
                "" if f.value is not None else hidden,
            ]
        )
    for f in data.learning:
        rows.append(
            [
                "2 Learning",
                f.label,
                f.n,
                f.value if f.value is not None else "",
                f.pre if f.pre is not None else "",
                f.change if f.change is not None else "",
                "" if f.value is not None else hidden,
            ]
        )
    for f in data.use:
        rows.append(
            [
                "4 Use",
                f.label,
                f.n,
                f.value if f.value is not None else "",
                "",
                "",
                "per cent of answers" if f.value is not None else hidden,
            ]
        )
    for c in getattr(level5, "cohorts", []):
        rows.append(
            [
                "5 Outcomes",
                f"{getattr(level5, 'outcome_name', '')}, completed in {c.label}",
                c.matched,
                c.did if c.did is not None else "",
                c.comparison_change if c.comparison_change is not None else "",
                c.change if c.change is not None else "",
                c.note or "difference-in-differences (value); comparison and participants' change",
            ]
        )
    return rows


PARTICIPATION_HEADER = [
    "Leader",
    "Role",
    "School",
    "Programs completed this year",
    "PDPs credited this year",
    "Coming up",
    "Last completed",
    "Needs assessment",
]


@login_required
@require_safe
def participation(request: HttpRequest) -> HttpResponse:
    """The learning of the leaders the reader oversees (a supervisor's network, a superintendent's
    district), with a CSV."""
    from edlead.learning import participation as part

    if not part.offered_to(request.user):
        raise Http404("This page is for supervisors, superintendents, HR and administrators.")
    data = part.participation(request.user)
    if request.GET.get("format") == "csv":
        rows = [
            [
                r.person.display_name,
                r.role,
                r.school,
                r.completed,
                r.pdps,
                r.upcoming,
                r.last_completed.isoformat() if r.last_completed else "",
                r.assessed_on.isoformat() if r.assessed_on else "",
            ]
            for r in data.rows
        ]
        response = csv_response(
            f"edlead-learning-participation-{timezone.localdate():%Y-%m-%d}.csv", PARTICIPATION_HEADER, rows
        )
        response.audit_label = "Learning participation"  # type: ignore[attr-defined]
        return response
    return render(request, "learning/participation.html", {"data": data})
