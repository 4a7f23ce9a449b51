"""The newsletter pages: the archive (searchable, by publisher and year, exportable), an issue, writing and
publishing an issue, and one's subscriptions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from edlead.communications import rules, services
from edlead.communications.forms import IssueForm
from edlead.communications.models import NewsletterIssue, NewsletterItem, Reflection, Subscription
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization

LIMIT = 100
S = NewsletterIssue.Status


def _reading_orgs(user: Any) -> list[Organization]:
    """The publishers whose newsletters `user` reads: the state and their districts (one query)."""
    return list(Organization.objects.filter(rules.readable_org_q(user)).order_by("path"))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    """Every published issue the reader may read, newest first; search in titles and items, filter by
    publisher and year. Publishers also see their drafts; reflection pieces follow."""
    q = (request.GET.get("q") or "").strip()[:200]
    publisher = _int(request.GET.get("publisher"))
    year = _int(request.GET.get("year"))
    published = rules.readable_issues(request.user).filter(status=S.PUBLISHED)
    rows = published
    if q:
        rows = rows.filter(
            Q(title__icontains=q)
            | Q(intro__icontains=q)
            | Q(
                pk__in=NewsletterItem.objects.filter(Q(headline__icontains=q) | Q(body__icontains=q)).values(
                    "issue_id"
                )
            )
        )
    if publisher:
        rows = rows.filter(organization_id=publisher)
    if year:
        rows = rows.filter(published_at__year=year)
    rows = rows.select_related("organization").order_by("-published_at", "-pk")
    if request.GET.get("format") == "csv" and request.GET.get("list") == "reflections":
        return _reflections_csv(request.user, q)
    if request.GET.get("format") == "csv":
        return csv_response(
            "newsletter-issues.csv",
            ["Published", "Publisher", "Title", "Audiences", "Recipients", "Top items"],
            (
                (
                    i.published_at.date().isoformat() if i.published_at else "",
                    i.organization.name,
                    i.title,
                    "; ".join(i.audience_labels),
                    i.recipients,
                    " | ".join(item.headline for item in i.items.all()),
                )
                for i in rows.prefetch_related("items")[:5000]
            ),
        )
    issues = list(
        rows.prefetch_related(Prefetch("items", queryset=NewsletterItem.objects.order_by("position")))[:LIMIT]
    )
    years = sorted(
        {
            y
            for y in published.annotate(y=ExtractYear("published_at")).values_list("y", flat=True).distinct()
            if y
        },
        reverse=True,
    )
    drafts: list[NewsletterIssue] = []
    if rules.is_publisher(request.user):
        drafts = list(
            rules.readable_issues(request.user)
            .filter(status=S.DRAFT)
            .select_related("organization")
            .order_by("-updated_at")[:LIMIT]
        )
    pieces = list(_published_pieces(request.user, q)[:LIMIT])
    context = {
        "issues": issues,
        "drafts": drafts,
        "pieces": pieces,
        "publishers": _reading_orgs(request.user),
        "years": years,
        "filters": {"q": q, "publisher": publisher, "year": year},
        "query": request.GET.urlencode(),
        "may_write": rules.is_publisher(request.user),
        "limit": LIMIT,
    }
    return render(request, "communications/archive.html", context)


def _published_pieces(user: Any, q: str) -> QuerySet[Reflection]:
    return (
        rules.readable_reflections(user)
        .filter(status=Reflection.Status.PUBLISHED)
        .filter(Q(title__icontains=q) | Q(body__icontains=q) | Q(topic__icontains=q) if q else Q())
        .select_related("author", "organization")
        .order_by("-published_at")
    )


def _reflections_csv(user: Any, q: str) -> HttpResponse:
    return csv_response(
        "reflection-pieces.csv",
        ["Published", "Title", "Topic", "Author", "Published by"],
        (
            (
                p.published_at.date().isoformat() if p.published_at else "",
                p.title,
                p.topic,
                p.author.display_name,
                p.organization.name,
            )
            for p in _published_pieces(user, q)[:5000]
        ),
    )


@login_required
@require_safe
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = rules.get_issue(request.user, pk)
    context = {
        "issue": issue,
        "items": list(issue.items.all()),
        "may_publish": issue.status == S.DRAFT and rules.may_publish(request.user, issue.organization),
    }
    return render(request, "communications/issue_detail.html", context)


def _issue_form_page(request: HttpRequest, issue: NewsletterIssue | None) -> HttpResponse:
    publishers = list(rules.publishers(request.user))
    if not publishers:
        raise Http404("You do not publish a newsletter.")
    initial: dict[str, Any] = {}
    if issue is not None:
        initial = {
            "organization": issue.organization_id,
            "title": issue.title,
            "intro": issue.intro,
            "audiences": issue.audiences,
        }
        for item in issue.items.all():
            initial.update(
                {f"item{item.position}_{k}": getattr(item, k) for k in ("headline", "body", "link")}
            )
    form = IssueForm(request.POST or None, publishers=publishers, initial=initial)
    error = ""
    conflict: editing.EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        org = next(o for o in publishers if o.pk == form.cleaned_data["organization"])
        d = form.cleaned_data
        try:
            if issue is None:
                issue = services.issue_create(
                    actor=request.user,
                    organization=org,
                    title=d["title"],
                    intro=d["intro"],
                    audiences=d["audiences"],
                    items=form.items(),
                )
            else:
                issue = services.issue_update(
                    actor=request.user,
                    issue=issue,
                    title=d["title"],
                    intro=d["intro"],
                    audiences=d["audiences"],
                    items=form.items(),
                    expected_version=editing.expected_version(request.POST),
                )
        except editing.EditConflict as exc:
            conflict = exc
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, "Draft saved. Read it through, then publish it.")
            return redirect(issue.get_absolute_url())
    context = {"form": form, "issue": issue, "error": error, "conflict": conflict}
    return render(request, "communications/issue_form.html", context, status=409 if conflict else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_new(request: HttpRequest) -> HttpResponse:
    return _issue_form_page(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue = rules.get_issue(request.user, pk)
    if not rules.may_publish(request.user, issue.organization):
        raise Http404("No such newsletter issue.")
    if issue.status != S.DRAFT:
        messages.error(request, f"“{issue.title}” is published and can no longer be changed.")
        return redirect(issue.get_absolute_url())
    return _issue_form_page(request, issue)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then publish: sent once to the audiences and subscribers."""
    issue = rules.get_issue(request.user, pk)
    if not rules.may_publish(request.user, issue.organization):
        raise Http404("No such newsletter issue.")
    error = ""
    if request.method == "POST":
        try:
            services.issue_publish(actor=request.user, issue=issue)
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, f"“{issue.title}” is published; the worker is sending it now.")
            return redirect(issue.get_absolute_url())
    elif issue.status != S.DRAFT:
        error = services_published_message(issue)
    count = len(services.recipients_ids(issue)) if issue.status == S.DRAFT else issue.recipients
    return render(
        request,
        "communications/issue_publish.html",
        {"issue": issue, "items": list(issue.items.all()), "count": count, "error": error},
    )


def services_published_message(issue: NewsletterIssue) -> str:
    when = f" on {issue.published_at:%-d %B %Y}" if issue.published_at else ""
    return f"“{issue.title}” was already published{when}; it is not sent again."


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    """The newsletters the person may read, whether they receive each, and a button to change it."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("Subscriptions belong to a person.")
    orgs = _reading_orgs(request.user)
    if request.method == "POST":
        pk = _int(request.POST.get("organization"))
        org = next((o for o in orgs if o.pk == pk), None)
        if org is None:
            raise Http404("No such newsletter.")
        subscribed = request.POST.get("subscribed") == "1"
        try:
            services.subscription_set(actor=request.user, organization=org, subscribed=subscribed)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            word = "subscribed to" if subscribed else "unsubscribed from"
            messages.success(request, f"You are {word} the newsletter of {org.name}.")
        return redirect(reverse("communications:subscriptions"))
    choices = dict(
        Subscription.objects.filter(person=person, organization__in=orgs).values_list(
            "organization_id", "subscribed"
        )
    )
    rows = [{"org": o, "choice": choices.get(o.pk)} for o in orgs]
    return render(request, "communications/subscriptions.html", {"rows": rows})
