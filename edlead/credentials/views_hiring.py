"""Hiring advice pages: the open postings one advises on, one posting's slate with each candidate's record
and the hiring notes (restricted), the notes written and edited by their authors, and the slate exported
for the superintendent as CSV and PDF. Every read goes through the access module (`posting.advise`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.forms import UswdsFormMixin
from edlead.core.services import audit_record
from edlead.core.views import private as _private
from edlead.credentials import hiring, services_hiring
from edlead.credentials.models import Posting
from edlead.lib.exports import csv_response


class HiringNoteForm(UswdsFormMixin, forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label="Your note", widget=forms.Textarea(attrs={"rows": 4}), max_length=services_hiring.MAX_TEXT
    )


def _posting(request: HttpRequest, pk: int) -> Posting:
    return policy.get_for_user(
        request.user,
        Posting.objects.select_related("organization", "organization__district"),
        policy.HIRING_ADVICE,
        pk=pk,
    )


@login_required
@require_safe
def advice_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.HIRING_ADVICE):
        raise Http404("Hiring advice is for principal supervisors, the superintendent and HR.")
    postings = list(hiring.postings_to_advise(request.user))
    return _private(render(request, "credentials/hiring/advice_list.html", {"postings": postings}))


def _page(request: HttpRequest, posting: Posting, *, failed: dict[int, Any] | None = None) -> HttpResponse:
    slate = hiring.hiring_slate(request.user, posting)
    me = getattr(request.user, "person_id", None)
    rows = []
    for c in slate.candidates:
        mine = c.my_note(me)
        form = (failed or {}).get(c.person.pk) or HiringNoteForm(
            initial={
                "candidate": c.person.pk,
                "version": mine.version if mine else None,
                "text": mine.text if mine else "",
            },
            prefix=f"c{c.person.pk}",
        )
        rows.append((c, mine, form if me and me != c.person.pk else None))
    audit_record(
        action="hiring_advice_viewed",
        actor=request.user,
        target=posting,
        request=request,
        detail={"candidates": len(slate.candidates)},
    )
    context = {
        "posting": posting,
        "slate": slate,
        "rows": rows,
        "open": posting.status == Posting.Status.OPEN,
    }
    return _private(render(request, "credentials/hiring/advice.html", context, status=400 if failed else 200))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def advice(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    if request.method != "POST":
        return _page(request, posting)
    try:
        candidate_id = int(request.POST.get("candidate", ""))
    except ValueError as exc:
        raise Http404("No such candidate.") from exc
    form = HiringNoteForm(request.POST, prefix=f"c{candidate_id}")
    if form.is_valid():
        slate_people = {
            a.person.pk: a.person for a in hiring.hiring_slate(request.user, posting).result.eligible
        }
        candidate = slate_people.get(candidate_id)
        try:
            if candidate is None:
                raise ApplicationError("This person is not on the posting's slate.")
            services_hiring.hiring_note_save(
                actor=request.user,
                posting=posting,
                candidate=candidate,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except editing.EditConflict as exc:
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Your note about {candidate} is saved.")
            return redirect("credentials:hiring-advice", pk=posting.pk)
    return _page(request, posting, failed={candidate_id: form})


@login_required
@require_safe
def advice_csv(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    slate = hiring.hiring_slate(request.user, posting)
    response = csv_response(f"hiring-advice-{posting.pk}.csv", hiring.EXPORT_HEADER, hiring.slate_rows(slate))
    response.audit_label = f"Hiring advice: {posting.title}"  # type: ignore[attr-defined]
    return response


@login_required
@require_safe
def advice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from edlead.reports.pdf import render_pdf

    posting = _posting(request, pk)
    slate = hiring.hiring_slate(request.user, posting)
    return render_pdf(
        request,
        "credentials/hiring/advice_print.html",
        {"posting": posting, "slate": slate},
        filename=f"hiring-advice-{posting.pk}.pdf",
        source="EdLead postings, licensure eligibility, positions, evaluations and professional learning",
        title=f"Hiring advice: {posting.title}",
        audit_target=posting,
        confidential=True,
    )
