"""Account pages: the accounts list, inviting, resending and revoking, accepting a link, switching an
account off and on. Every fetch goes through the account managers' scope (`selectors`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from edlead.access.models import User
from edlead.accounts import selectors, services
from edlead.accounts.forms import AcceptInvitationForm, InvitationForm, InvitationSelectionForm
from edlead.accounts.models import Invitation
from edlead.core.errors import ApplicationError


def _require_manager(request: HttpRequest) -> None:
    if not selectors.may_manage_accounts(request.user):
        raise PermissionDenied("You do not manage accounts.")


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    accounts = Paginator(selectors.accounts_for(request.user), 50).get_page(request.GET.get("page"))
    waiting = selectors.invitations_for(request.user).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    response = render(
        request,
        "accounts/account_list.html",
        {"page": accounts, "invitations": waiting[:200], "invitation_count": waiting.count()},
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


def _form_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {
        "people": selectors.invitable_people(request.user).order_by("last_name", "first_name"),
        "organizations": selectors.manageable_organizations(request.user),
    }


@never_cache
@login_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = InvitationForm(request.POST or None, **_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
                person=form.cleaned_data["person"],
                email=form.cleaned_data["email"] or "",
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:account-list")
    return render(
        request,
        "accounts/invitation_form.html",
        {"form": form, "invitation_days": services.invitation_days()},
    )


@never_cache
@login_required
@require_POST
def invitation_selection(request: HttpRequest) -> HttpResponse:
    """From the people list: the chosen people, then one role for all of them."""
    _require_manager(request)
    kwargs = _form_kwargs(request)
    chosen = list(kwargs["people"].filter(pk__in=[i for i in request.POST.getlist("people") if i.isdigit()]))
    data = request.POST.copy()
    data.setlist("people", [str(p.pk) for p in chosen])
    form = InvitationSelectionForm(
        data if "role" in request.POST else None, initial={"people": chosen}, **kwargs
    )
    if not form.is_bound or not form.is_valid():
        return render(request, "accounts/invitation_selection.html", {"form": form, "chosen": chosen})
    sent, refused = [], []
    for person in form.cleaned_data["people"]:
        organization = form.cleaned_data["organization"] or services.current_organization(person.pk)
        try:
            if organization is None:
                raise ApplicationError("no current position: choose an organization")
            sent.append(
                services.invitation_create(
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    organization=organization,
                    person=person,
                    request=request,
                )
            )
        except ApplicationError as exc:
            refused.append((person, exc.message))
    if sent:
        messages.success(request, f"{len(sent)} invitation{'s' if len(sent) != 1 else ''} sent.")
    for person, reason in refused:
        messages.warning(request, f"{person.display_name}: not invited — {reason}")
    return redirect("accounts:account-list")


def _invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(selectors.invitations_for(request.user), pk=pk)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    return _act(
        request,
        lambda: services.invitation_resend(invitation=invitation, actor=request.user, request=request),
        f"A new link was sent to {invitation.email}; the old one no longer works.",
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation(request, pk)
    return _act(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user, request=request),
        f"The invitation to {invitation.email} was revoked.",
    )


def _act(request: HttpRequest, call: Callable[[], Any], done: str) -> HttpResponse:
    """Call one service; its refusal or `done` as the message; back to the accounts list."""
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("accounts:account-list")


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: choose a password (or a sign-in provider), then home, signed in."""
    try:
        invitation = services.invitation_check(token=token, request=request)
    except services.InvitationRefused as exc:
        return render(
            request,
            "accounts/invitation_refused.html",
            {"reason": exc.reason, "message": exc.message},
            status=410 if exc.reason != exc.FORGED else 404,
        )
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.invitation_accept(
                token=token, password=form.cleaned_data["password1"], request=request
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _sign_in(request, accepted.user)
    context = {
        "form": form,
        "invitation": invitation,
        "district_name": services.district_name_for_org(invitation.organization),
        "sign_in_choices": services.sign_in_choices(invitation, request),
    }
    # The token is in this page's address: the site's Referrer-Policy (same-origin) keeps it from other
    # sites ("no-referrer" would make the browser send "Origin: null" with the form, which CSRF refuses).
    return render(request, "accounts/invitation_accept.html", context)


def _sign_in(request: HttpRequest, user: User) -> HttpResponse:
    """Sign in through allauth's flow (its stages, session records and signals), then home."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.account.utils import perform_login

    if request.user.is_authenticated:
        from django.contrib.auth import logout

        logout(request)
    record_authentication(request, user, method="password", email=user.email)  # allauth says "signed in"
    return perform_login(request, user, redirect_url=reverse("home:home"))


def _account(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(selectors.accounts_for(request.user), pk=pk)


@login_required
@require_POST
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch(request, pk, active=False)


@login_required
@require_POST
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch(request, pk, active=True)


def _switch(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    _require_manager(request)
    account = _account(request, pk)
    service = services.account_reactivate if active else services.account_deactivate
    return _act(
        request,
        lambda: service(account=account, actor=request.user, request=request),
        f"{account.email} {'can sign in again' if active else 'can no longer sign in'}.",
    )
