"""Staff survey pages: running a survey (send links, meeting code, open, close, results) — an evaluation's
inside the cycle's access rule, a 360's inside the rule its purpose registered — and the public answer
pages that need no account.

Where a secret could leak, and why it does not:
- The e-mailed link is `/feedback/answer/#k=<token>`: the token is in the URL *fragment*, which a
  browser never sends, so it is in no request line, web-server access log, `AuditEvent.detail["page"]`
  (the request path) or `ExportAuditMiddleware` record. `static/edlead/feedback.js` copies it into the
  form and removes it from the address bar; without JavaScript the person pastes the key (also in the
  e-mail). The key then travels only in POST bodies, which nothing logs, and the answer form carries it
  on as a hidden field (no session row ties a browser to a key).
- The meeting code is typed on `/feedback/meeting/` and POSTed the same way.
- The public views write no audit event (an event keeps the time, the client address and the page) and
  the response has `Cache-Control: no-store` and sends other sites no referrer, so a shared computer's history and the
  next site visited learn nothing.
- Guessing keys is throttled: after `EDLEAD_FEEDBACK_KEY_FAILURES` (20) keys that open nothing from one
  client address within 15 minutes, that address is refused (429) until the window ends, valid key or not.
  Only failures are counted, under a keyed hash of the address in the shared cache, expiring with the
  window: an answer leaves no trace there. (Counting per survey is not possible: a wrong key names none.)
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.core.errors import ApplicationError
from edlead.core.forms import UswdsFormMixin
from edlead.core.middleware import client_ip
from edlead.evaluations import selectors_cycle as sel
from edlead.evaluations import selectors_feedback as fsel
from edlead.evaluations import services_feedback as fb
from edlead.evaluations.models import Cycle
from edlead.evaluations.models_feedback import FeedbackSurvey

NOT_STORED = "no-store, private"


class SurveyCreateForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave empty for a title with the name."
    )
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class InviteForm(UswdsFormMixin, forms.Form):
    addresses = forms.CharField(
        label="Staff e-mail addresses",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text="Paste them separated by commas, spaces or lines. They are used to send and then "
        "forgotten: EdLead stores only how many were sent.",
    )


class CodeForm(UswdsFormMixin, forms.Form):
    max_uses = forms.IntegerField(
        label="How many answers the code allows", min_value=1, max_value=1000, help_text="The staff present."
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = NOT_STORED
    return response


def _survey(request: HttpRequest, pk: int) -> tuple[FeedbackSurvey, Cycle | None]:
    """A survey the user may read (404 for missing and not-yours). An evaluation's is read through the
    cycle's rule and audited as a read of the evaluation; a 360 through its purpose's rule."""
    survey = FeedbackSurvey.objects.select_related("subject").filter(pk=pk).first()
    if survey is None:
        raise Http404
    if survey.cycle_id is None:
        if not fb.may_read(request.user, survey):
            raise Http404
        return survey, None
    cycle = sel.cycle_get_for_user(request.user, survey.cycle_id, request=request, page="staff feedback")
    survey.cycle = cycle
    return survey, cycle


def _managed(request: HttpRequest, pk: int) -> tuple[FeedbackSurvey, Cycle | None]:
    survey, cycle = _survey(request, pk)
    if not fb.may_manage_survey(request.user, survey):
        raise Http404
    return survey, cycle


def survey_list_page(
    request: HttpRequest,
    *,
    template: str,
    may_create: bool,
    create: Any,
    context: dict[str, Any],
) -> HttpResponse:
    """A page of surveys with the form that creates one (a cycle's staff feedback, a leader's 360):
    `create(**cleaned_data)` makes the draft; its page is where links and codes are sent from."""
    today = timezone.localdate()
    form = SurveyCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"opens_on": today, "closes_on": today + dt.timedelta(days=14)},
    )
    if request.method == "POST":
        if not may_create:
            raise Http404
        if form.is_valid():
            try:
                survey = create(**form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, "The survey is a draft: send links or make a meeting code, then open it."
                )
                return redirect(survey)
    context = {**context, "may_manage": may_create, "form": form, "threshold": fb.min_staff()}
    return _no_store(render(request, template, context, status=400 if form.errors else 200))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_surveys(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """A cycle's surveys; the evaluator and HR create one here."""
    cycle = sel.cycle_get_for_user(request.user, cycle_pk, request=request, page="staff feedback")
    return survey_list_page(
        request,
        template="evaluations/feedback_cycle.html",
        may_create=fb.may_manage(request.user, cycle),
        create=lambda **data: fb.survey_create(actor=request.user, cycle=cycle, **data),
        context={"cycle": cycle, "surveys": list(fsel.surveys_for_cycle(cycle))},
    )


@login_required
@require_safe
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey, cycle = _survey(request, pk)
    return _no_store(
        render(request, "evaluations/feedback_survey.html", _detail_context(request, survey, cycle))
    )


def _detail_context(
    request: HttpRequest, survey: FeedbackSurvey, cycle: Cycle | None, **extra: Any
) -> dict[str, Any]:
    may_manage = fb.may_manage_survey(request.user, survey)
    purpose = fb.purpose_of(survey)
    results = fsel.survey_results(survey)
    codes = list(survey.codes.order_by("pk").values("max_uses", "uses")) if may_manage else []
    back_label, back_url = purpose.back(survey)
    return {
        "survey": survey,
        "cycle": cycle,
        "purpose": purpose,
        "place": purpose.place(survey),
        "back_label": back_label,
        "back_url": back_url,
        "closing_words": purpose.closing_words.format(threshold=results.threshold),
        "may_manage": may_manage,
        "may_close": survey.status != FeedbackSurvey.Status.CLOSED and fb.may_close(request.user, survey),
        "results": results,
        "codes": codes,
        "invite_form": InviteForm(),
        "code_form": CodeForm(),
        "is_open": survey.status == FeedbackSurvey.Status.OPEN,
        "is_closed": survey.status == FeedbackSurvey.Status.CLOSED,
        "answer_url": fb.answer_url(),
        "meeting_url": fb.answer_url().replace("/answer/", "/meeting/"),
        **extra,
    }


def _act(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    survey, _ = _managed(request, pk)
    try:
        message = action(survey)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect(survey)


@login_required
@require_POST
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    def run(survey: FeedbackSurvey) -> str:
        fb.survey_open(actor=request.user, survey=survey)
        return "The survey is open: links and codes work until it closes."

    return _act(request, pk, run)


@login_required
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    def run(survey: FeedbackSurvey) -> str:
        closed = fb.survey_close(actor=request.user, survey=survey)
        if closed.cycle_id is None:
            if (closed.closed_responses or 0) >= fb.min_staff():
                return "The survey is closed; the colleagues' averages now show in the growth profile."
            return "The survey is closed with too few responses to show: nothing of it is shown."
        if closed.evidence is not None and closed.evidence.staff_feedback:
            return "The survey is closed; its results are attached to the evaluation as staff feedback."
        return "The survey is closed with too few responses to show; a note says so in the evidence."

    return _act(request, pk, run)


@login_required
@require_POST
def survey_invite(request: HttpRequest, pk: int) -> HttpResponse:
    survey, cycle = _managed(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            sent = fb.survey_invite(
                actor=request.user, survey=survey, addresses=form.cleaned_data["addresses"]
            )
        except ApplicationError as exc:
            form.add_error("addresses", exc.message)
        else:
            messages.success(request, f"{sent} invitation{'s' if sent != 1 else ''} sent.")
            return redirect(survey)
    context = _detail_context(request, survey, cycle, invite_form=form)
    return _no_store(render(request, "evaluations/feedback_survey.html", context, status=400))


@login_required
@require_POST
def survey_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The code is shown once, in this response (not through a redirect, a message or the session)."""
    survey, cycle = _managed(request, pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            code = fb.code_create(actor=request.user, survey=survey, max_uses=form.cleaned_data["max_uses"])
        except ApplicationError as exc:
            form.add_error("max_uses", exc.message)
        else:
            context = _detail_context(
                request, survey, cycle, new_code=code, new_code_uses=form.cleaned_data["max_uses"]
            )
            return _no_store(render(request, "evaluations/feedback_survey.html", context))
    context = _detail_context(request, survey, cycle, code_form=form)
    return _no_store(render(request, "evaluations/feedback_survey.html", context, status=400))


# --- public pages: no account --------------------------------------------------------------------------
def _public(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    # same-origin, not no-referrer: with no-referrer chromium posts the form with `Origin: null`, which
    # Django's CSRF check refuses. Nothing secret is in our URLs anyway; other sites get no referrer.
    response["Referrer-Policy"] = "same-origin"
    return response


def _unavailable(request: HttpRequest, exc: fb.FeedbackUnavailable) -> HttpResponse:
    status = 404 if exc.reason == "invalid" else 410
    return _public(
        request,
        "evaluations/feedback_unavailable.html",
        {"reason": exc.reason, "message": exc.message},
        status,
    )


# --- throttling key guesses ------------------------------------------------------------------------------
KEY_FAILURE_WINDOW = 15 * 60  # seconds
THROTTLED = (
    "Too many keys or codes that did not work were entered from this network. "
    "Wait 15 minutes, then try again with the key from your e-mail or the code you were given."
)
_clock = time.time  # tests move time on


def key_failures_allowed() -> int:
    return int(getattr(settings, "EDLEAD_FEEDBACK_KEY_FAILURES", 20))


def _failures_key(request: HttpRequest) -> str:
    """The cache key of one client address's failed keys: a keyed hash, so the cache holds no address."""
    address = client_ip(request) or "unknown"
    return "feedback-key-failures:" + salted_hmac("edlead.feedback.throttle", address).hexdigest()[:32]


def _failures(request: HttpRequest) -> tuple[int, float]:
    """(failed keys in the current window, when it started)."""
    now = _clock()
    count, started = cache.get(_failures_key(request)) or (0, now)
    if now - started >= KEY_FAILURE_WINDOW:
        return 0, now
    return int(count), float(started)


def _throttled(request: HttpRequest) -> bool:
    return _failures(request)[0] >= key_failures_allowed()


def _key_failed(request: HttpRequest) -> None:
    """Count a key that opened nothing; the entry expires when its window ends (a fixed window)."""
    count, started = _failures(request)
    remaining = max(1, int(started + KEY_FAILURE_WINDOW - _clock()))
    cache.set(_failures_key(request), (count + 1, started), timeout=remaining)


def _refused(request: HttpRequest, kind: str) -> HttpResponse:
    response = _public(request, "evaluations/feedback_key.html", {"kind": kind, "error": THROTTLED}, 429)
    response["Retry-After"] = str(KEY_FAILURE_WINDOW)
    return response


def _answer_context(ticket: fb.Ticket, key: str, **extra: Any) -> dict[str, Any]:
    survey = ticket.survey
    purpose = fb.purpose_of(survey)
    likert = [(str(v), label) for v, label in purpose.scale] + [
        (fb.NOT_APPLICABLE, "Don't know / not applicable")
    ]
    return {
        "survey": survey,
        "purpose": purpose,
        "educator_name": survey.subject.display_name,
        "school_name": purpose.place(survey),
        "kind": ticket.kind,
        "key": key,
        "questions": survey.questions,
        "likert": likert,
        "comment_prompt": purpose.comment_prompt,
        "comment_key": fb.COMMENT_KEY,
        "threshold": fb.min_staff(),
        "values": {},
        **extra,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, kind: str = "link") -> HttpResponse:
    """GET: the page that takes the key (filled from the link's fragment by feedback.js). POST: the key
    is checked and the survey's form is shown."""
    if request.method != "POST":
        return _public(request, "evaluations/feedback_key.html", {"kind": kind})
    kind = "code" if request.POST.get("kind") == "code" else "link"
    key = request.POST.get("key", "").strip()
    if not key:
        return _public(
            request, "evaluations/feedback_key.html", {"kind": kind, "error": "Enter the key."}, 400
        )
    if _throttled(request):
        return _refused(request, kind)
    try:
        ticket = fb.ticket_for(kind=kind, key=key)
    except fb.FeedbackUnavailable as exc:
        if exc.reason == "invalid":
            _key_failed(request)
        return _unavailable(request, exc)
    return _public(request, "evaluations/feedback_answer.html", _answer_context(ticket, key))


@never_cache
@require_POST
def answer_submit(request: HttpRequest) -> HttpResponse:
    kind = "code" if request.POST.get("kind") == "code" else "link"
    key = request.POST.get("key", "").strip()
    if _throttled(request):
        return _refused(request, kind)
    try:
        fb.response_submit(kind=kind, key=key, data=request.POST)
    except fb.FeedbackUnavailable as exc:
        if exc.reason == "invalid":
            _key_failed(request)
        return _unavailable(request, exc)
    except ApplicationError as exc:
        ticket = fb.ticket_for(kind=kind, key=key)
        context = _answer_context(ticket, key, error=exc.message, values=request.POST)
        return _public(request, "evaluations/feedback_answer.html", context, status=400)
    return redirect("staff_feedback:thanks")


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return _public(request, "evaluations/feedback_thanks.html", {"threshold": fb.min_staff()})
