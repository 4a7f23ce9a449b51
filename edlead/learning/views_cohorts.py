"""Cohort and think-tank pages: "My cohorts and think tanks", a cohort's page (members from every
district, meetings with agendas and attendance, shared resources, posts), and the forms of those who run
it. Members, the facilitator and the coordinators of the cohort's district (or the state) open it; anyone
else gets a 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.learning import services_cohorts as sc
from edlead.learning.forms_cohorts import (
    SEARCH_LIMIT,
    CohortForm,
    MeetingForm,
    PeopleSearchForm,
    PostForm,
    people_matching,
)
from edlead.learning.models import Cohort, CohortAttendance, CohortMeeting, CohortPost
from edlead.orgs.models import Organization
from edlead.people.models import Person

POSTS_PER_PAGE = 20
MANAGED_PER_PAGE = 50


@login_required
@require_safe
def cohorts(request: HttpRequest) -> HttpResponse:
    may_start = bool(sc.manageable_organizations(request.user))
    managed = None
    if may_start:
        managed = Paginator(sc.cohorts_listed(request.user, managed=True), MANAGED_PER_PAGE).get_page(
            request.GET.get("page")
        )
    context = {
        "mine": list(sc.cohorts_listed(request.user, managed=False)),
        "managed": managed,
        "may_start": may_start,
        "now": timezone.now(),
    }
    return render(request, "learning/cohort_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_new(request: HttpRequest) -> HttpResponse:
    if not sc.manageable_organizations(request.user):
        raise PermissionDenied("Program coordinators start cohorts and think tanks.")
    query = request.GET.get("q", "").strip()[:100]
    form = CohortForm(request.POST or None, user=request.user, query=query)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        organization = Organization.objects.filter(pk=int(d["run_by"])).first() if d["run_by"] else None
        try:
            cohort = sc.cohort_create(
                actor=request.user,
                name=d["name"],
                kind=d["kind"],
                facilitator=d["facilitator"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                organization=organization,
                program=d["program"],
                description=d["description"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{cohort.name} is started: add its members and its first meeting.")
            return redirect(cohort.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    search = PeopleSearchForm({"q": query})
    return render(
        request, "learning/cohort_form.html", {"form": form, "search": search, "q": query}, status=status
    )


def _detail_context(request: HttpRequest, cohort: Cohort) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    viewer = getattr(user, "person_id", None)
    manages = sc.manages(user, cohort)
    runs = manages or sc.facilitates(user, cohort)
    people = sc.members(cohort)
    member_ids = {p.pk for p in people}
    meetings = list(
        CohortMeeting.objects.filter(cohort=cohort)
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            marked_count=Count("attendance"),
        )
        .order_by("starts_at", "pk")
    )
    upcoming = [m for m in meetings if m.starts_at > now]
    past = [m for m in reversed(meetings) if m.starts_at <= now]
    marks: dict[tuple[int, int], bool] = {}
    if runs and past:
        marks = {
            (m, p): present
            for m, p, present in CohortAttendance.objects.filter(meeting__cohort=cohort).values_list(
                "meeting_id", "person_id", "present"
            )
        }
    past_rows = [(m, [(p, marks.get((m.pk, p.pk))) for p in people] if runs else []) for m in past]
    posts = Paginator(
        CohortPost.objects.filter(cohort=cohort).select_related("author").order_by("-created_at", "-pk"),
        POSTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return {
        "cohort": cohort,
        "members": people,
        "upcoming": upcoming,
        "past_rows": past_rows,
        "posts": posts,
        "manages": manages,
        "runs": runs,
        "viewer": viewer,
        "may_post": bool(viewer) and (viewer in member_ids or viewer == cohort.facilitator_id),
        "meeting_form": MeetingForm(prefix="meeting") if runs else None,
        "post_form": PostForm(prefix="post"),
        "search": PeopleSearchForm() if runs else None,
        "now": now,
    }


@login_required
@require_safe
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = sc.cohort_for(request.user, pk)
    return render(request, "learning/cohort_detail.html", _detail_context(request, cohort))


def _run_cohort(request: HttpRequest, pk: int) -> Cohort:
    """A cohort the reader runs: its facilitator or a coordinator (404 for outsiders, 403 for members)."""
    cohort = sc.cohort_for(request.user, pk)
    if not sc.runs(request.user, cohort):
        raise PermissionDenied("The facilitator and the coordinators run the cohort.")
    return cohort


def _members_url(cohort: Cohort, query: str) -> str:
    url = reverse("learning:cohort-members", args=[cohort.pk])
    return url + ("?" + urlencode({"q": query}) if query else "")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_members(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _run_cohort(request, pk)
    if request.method == "POST":
        query = request.POST.get("q", "").strip()[:100]
        raw = request.POST.get("person", "")
        pid = int(raw) if raw.isdigit() else 0
        if request.POST.get("action") == "remove":
            person = Person.objects.filter(pk=pid).first()
            if person is None:
                messages.error(request, "No such person.")
                return redirect(_members_url(cohort, query))
            try:
                rel = sc.member_remove(actor=request.user, cohort=cohort, person=person)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                until = "" if rel.ends_on and rel.ends_on < timezone.localdate() else " (at the end of today)"
                messages.success(request, f"{person.display_name} is no longer a member{until}.")
            return redirect(_members_url(cohort, query))
        # Adding: someone the reader finds in their directory (a facilitator brings their own colleagues).
        person = policy.visible_to(
            request.user, Person.objects.filter(pk=pid), policy.PERSON_DIRECTORY
        ).first()
        if person is None:
            messages.error(request, "That person is not in your directory; search for them by name.")
            return redirect(_members_url(cohort, query))
        try:
            sc.member_add(actor=request.user, cohort=cohort, person=person)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{person.display_name} is a member of {cohort.name}; they are told.")
        return redirect(_members_url(cohort, query))
    search = PeopleSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    people = sc.members(cohort)
    found: list[Person] = []
    if len(query) >= 2:
        taken = [p.pk for p in people] + [cohort.facilitator_id]
        found = list(
            people_matching(request.user, query)
            .exclude(pk__in=taken)
            .prefetch_related(sc.current_positions())
            .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
        )
    context = {
        "cohort": cohort,
        "members": people,
        "search": search,
        "q": query,
        "found": found,
        "too_short": 0 < len(query) < 2,
        "limit": SEARCH_LIMIT,
    }
    return render(request, "learning/cohort_members.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _run_cohort(request, pk)
    form = MeetingForm(request.POST or None, prefix="meeting")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = sc.meeting_add(
                actor=request.user,
                cohort=cohort,
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                online_url=d["online_url"],
                agenda=d["agenda"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            when = timezone.localtime(meeting.starts_at)
            told = " The members are told." if meeting.starts_at > timezone.now() else ""
            messages.success(request, f"Meeting of {when:%A %d %B %Y, %H:%M} added.{told}")
            return redirect(cohort.get_absolute_url() + f"#meeting-{meeting.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/cohort_meeting_form.html", {"form": form, "cohort": cohort}, status=status
    )


@login_required
@require_POST
def cohort_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = CohortMeeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    cohort = _run_cohort(request, meeting.cohort_id)
    try:
        present = [int(v) for v in request.POST.getlist("present")]
    except ValueError:
        messages.error(request, "The attendance form was not understood; nothing was saved.")
    else:
        try:
            n = sc.record_attendance(actor=request.user, meeting=meeting, present_person_ids=present)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            when = timezone.localtime(meeting.starts_at)
            messages.success(request, f"Attendance saved for {when:%d %b %Y}: {n} present.")
    return redirect(cohort.get_absolute_url() + f"#meeting-{meeting.pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_post_new(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = sc.cohort_for(request.user, pk)
    form = PostForm(request.POST or None, prefix="post")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            post = sc.post_add(
                actor=request.user, cohort=cohort, kind=d["kind"], title=d["title"], body=d["body"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Posted to {cohort.name}: {post.title}.")
            return redirect(cohort.get_absolute_url() + "#posts")
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/cohort_post_form.html", {"form": form, "cohort": cohort}, status=status)


@login_required
@require_POST
def cohort_post_remove(request: HttpRequest, pk: int) -> HttpResponse:
    post = CohortPost.objects.filter(pk=pk).only("pk", "cohort_id", "author_id", "title").first()
    if post is None:
        raise Http404("No such post.")
    cohort = sc.cohort_for(request.user, post.cohort_id)
    post.cohort = cohort
    try:
        sc.post_remove(actor=request.user, post=post)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The post “{post.title}” is removed.")
    return redirect(cohort.get_absolute_url() + "#posts")
