"""The inbox: one's own notices, marking them read (htmx or a plain form), and e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from edlead.notices import forms, selectors, services
from edlead.notices.models import Notice
from edlead.notices.registry import kinds

CHANGED = "notices-changed"  # the htmx event the header badge listens for


def _own_notice(request: HttpRequest, pk: int) -> Notice:
    """The signed-in person's notice, or 404 (for someone else's as for a missing one)."""
    person_id = getattr(request.user, "person_id", None)
    return (
        get_object_or_404(Notice, pk=pk, person_id=person_id)
        if person_id
        else get_object_or_404(Notice.objects.none())
    )


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user.person_id), 50).get_page(request.GET.get("page"))  # type: ignore[union-attr]
    return render(request, "notices/notice_list.html", {"page": page})


def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The header's inbox link, refreshed by htmx. Signed out (a session that expired in an open tab):
    204, which htmx leaves alone, instead of a sign-in page swapped into the header."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notices/_inbox_link.html")


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = services.notice_mark_read(notice=_own_notice(request, pk))
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "notices/notice_list.html#notice-row", {"notice": notice})
        response["HX-Trigger"] = CHANGED
        return response
    return redirect("notices:notice-list")


@login_required
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice's link, marking it read on the way."""
    notice = services.notice_mark_read(notice=_own_notice(request, pk))
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return HttpResponseRedirect(notice.link)
    return redirect("notices:notice-list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    if request.user.person is not None:  # type: ignore[union-attr]
        count = services.notices_mark_all_read(person=request.user.person)  # type: ignore[union-attr]
        messages.success(request, f"Marked {count} notice{'s' if count != 1 else ''} read.")
    return redirect("notices:notice-list")


@login_required
def preference_edit(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    if person is None:
        return render(request, "notices/preference_form.html", {"form": None})
    current = selectors.preferences_for(person)
    form = forms.NoticePreferenceForm(request.POST or None, kinds=kinds(), current=current)
    if request.method == "POST" and form.is_valid():
        for key, delivery in form.cleaned_data.items():
            if delivery != current.get(key):
                services.preference_set(person=person, kind=key, delivery=delivery, actor=request.user)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notices:preference-edit")
    return render(request, "notices/preference_form.html", {"form": form})
