"""Reflection pieces: the author's list and form, a piece with its timeline, and the reviewer's
publish / return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from edlead.communications import rules, services
from edlead.communications.forms import ReflectionForm, ReturnForm
from edlead.communications.models import Reflection
from edlead.core.errors import ApplicationError
from edlead.orgs.models import Organization

RS = Reflection.Status


def _publishers_for_authors(user: object) -> list[Organization]:
    return list(Organization.objects.filter(rules.readable_org_q(user)).order_by("path"))


@login_required
@require_http_methods(["GET", "HEAD"])
def reflection_list(request: HttpRequest) -> HttpResponse:
    """One's own pieces, with their status, and — for reviewers — the pieces waiting for review."""
    pid = getattr(request.user, "person_id", None)
    mine = (
        list(Reflection.objects.filter(author_id=pid).select_related("organization").order_by("-updated_at"))
        if pid
        else []
    )
    waiting = list(
        rules.readable_reflections(request.user)
        .filter(status=RS.SUBMITTED, organization__in=rules.publishers(request.user))
        .select_related("organization", "author")
        .order_by("submitted_at")[:100]
    )
    return render(
        request,
        "communications/reflection_list.html",
        {"mine": mine, "waiting": waiting, "may_write": bool(pid)},
    )


def _form_page(request: HttpRequest, piece: Reflection | None) -> HttpResponse:
    if getattr(request.user, "person", None) is None:
        raise Http404("Reflection pieces are written by a person.")
    publishers = _publishers_for_authors(request.user)
    initial = (
        {
            "organization": piece.organization_id,
            "title": piece.title,
            "topic": piece.topic,
            "body": piece.body,
        }
        if piece
        else {}
    )
    form = ReflectionForm(request.POST or None, publishers=publishers, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = next(o for o in publishers if o.pk == d["organization"])
        try:
            piece = services.reflection_save(
                actor=request.user,
                organization=org,
                title=d["title"],
                topic=d["topic"],
                body=d["body"],
                reflection=piece,
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, "Saved. Submit it for review when it is ready.")
            return redirect(piece.get_absolute_url())
    return render(
        request, "communications/reflection_form.html", {"form": form, "piece": piece, "error": error}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reflection_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    piece = rules.get_reflection(request.user, pk)
    if piece.author_id != getattr(request.user, "person_id", None):
        raise Http404("No such reflection piece.")
    if piece.status not in (RS.DRAFT, RS.RETURNED):
        messages.error(request, "This piece is with the reviewers or published; it can no longer be changed.")
        return redirect(piece.get_absolute_url())
    return _form_page(request, piece)


@login_required
@require_http_methods(["GET", "HEAD"])
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    piece = rules.get_reflection(request.user, pk)
    own = piece.author_id == getattr(request.user, "person_id", None)
    reviews = piece.status == RS.SUBMITTED and rules.may_publish(request.user, piece.organization)
    context = {
        "piece": piece,
        "own": own,
        "reviews": reviews,
        "events": list(piece.events.all()) if own or reviews else [],
        "return_form": ReturnForm() if reviews else None,
    }
    return render(request, "communications/reflection_detail.html", context)


@login_required
@require_POST
def reflection_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    piece = rules.get_reflection(request.user, pk)
    try:
        if action == "submit":
            services.reflection_submit(actor=request.user, reflection=piece)
            messages.success(request, "Submitted: the reviewers are told in their work queue.")
        elif action == "publish":
            services.reflection_publish(actor=request.user, reflection=piece)
            messages.success(request, "Published in the archive; the author is told.")
        elif action == "return":
            form = ReturnForm(request.POST)
            comment = form.cleaned_data["comment"] if form.is_valid() else ""
            services.reflection_return(actor=request.user, reflection=piece, comment=comment)
            messages.success(request, "Returned to the author with your comments.")
        else:
            raise Http404("No such step.")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect(piece.get_absolute_url())
