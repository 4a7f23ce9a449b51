"""Settings pages: a district's (its administrators edit, its superintendent reads) and the state's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from edlead.access import policy
from edlead.config import selectors, services
from edlead.config.forms import SettingForm
from edlead.config.registry import BOOL, STATE, Definition, definitions
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.orgs.models import Organization

Kind = Organization.Kind


def _settings_org(request: HttpRequest, pk: int) -> tuple[Organization, bool]:
    """The district or state whose settings the user may read, and whether they may change them.
    Change: `ORG_MANAGE` there (district and state administrators). Read: `AUDIT_VIEW` there (the
    superintendent's oversight). Anyone else: 404, like a missing page."""
    org = policy.get_for_user(
        request.user,
        Organization.objects.filter(kind__in=[Kind.STATE, Kind.DISTRICT]),
        policy.ORG_DIRECTORY,
        pk=pk,
    )
    can_edit = policy.can(request.user, policy.ORG_MANAGE, org)
    if not can_edit and not (org.kind == Kind.DISTRICT and policy.can(request.user, policy.AUDIT_VIEW, org)):
        raise Http404("Not found")
    return org, can_edit


def _page_url(org: Organization) -> str:
    if org.kind == Kind.STATE:
        return reverse("config:state")
    return reverse("config:district", args=[org.pk])


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    """Straight to the one settings page the user has (the state's for state administrators)."""
    manageable = policy.visible_to(
        request.user, Organization.objects.filter(kind__in=[Kind.STATE, Kind.DISTRICT]), policy.ORG_MANAGE
    )
    org = (
        manageable.filter(kind=Kind.STATE).first()
        or manageable.order_by("name").first()
        or policy.visible_to(request.user, Organization.objects.districts(), policy.AUDIT_VIEW)
        .order_by("name")
        .first()
    )
    if org is None:
        raise Http404("No settings to show")
    return redirect(_page_url(org))


@never_cache
@login_required
def state_settings(request: HttpRequest) -> HttpResponse:
    state = Organization.objects.filter(kind=Kind.STATE).order_by("pk").first()
    if state is None:
        raise Http404("No state")
    org, can_edit = _settings_org(request, state.pk)
    return _page(request, org, can_edit)


@never_cache
@login_required
def district_settings(request: HttpRequest, pk: int) -> HttpResponse:
    org, can_edit = _settings_org(request, pk)
    if org.kind != Kind.DISTRICT:
        raise Http404("Not a district")
    return _page(request, org, can_edit)


def _editable(org: Organization, d: Definition, can_edit: bool) -> bool:
    return can_edit and (org.kind == Kind.STATE or d.level != STATE)


def _block(
    org: Organization,
    eff: selectors.Effective,
    can_edit: bool,
    form: SettingForm | None = None,
    autosave: editing.Autosave | None = None,
) -> dict[str, Any]:
    d = eff.definition
    editable = _editable(org, d, can_edit)
    if form is None:
        form = SettingForm(
            initial={
                "value": d.as_text(eff.stored) if d.type != BOOL else eff.stored,
                "version": eff.version,
            },
            definition=d,
            disabled=not editable,
        )
    return {
        "eff": eff,
        "d": d,
        "form": form,
        "editable": editable,
        "autosave": autosave or editing.Autosave(slug=d.slug, version=eff.version),
        "save_url": reverse("config:setting-save", args=[org.pk, d.slug]),
        "trigger": editing.AUTOSAVE_TRIGGER_TOGGLE if d.type == BOOL else editing.AUTOSAVE_TRIGGER,
        "page_url": _page_url(org),
    }


def _page(
    request: HttpRequest,
    org: Organization,
    can_edit: bool,
    changed: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    effective = selectors.settings_for(org)
    sections: dict[str, list[dict[str, Any]]] = {}
    for d in definitions():
        block = (changed or {}).get(d.key) or _block(org, effective[d.key], can_edit)
        sections.setdefault(d.section, []).append(block)
    return render(
        request,
        "config/settings_detail.html",
        {
            "org": org,
            "can_edit": can_edit,
            "sections": list(sections.items()),
            "is_state": org.kind == Kind.STATE,
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def setting_save(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Autosave (htmx) or plain submit of one setting; `reset` drops the organization's own value.
    htmx gets the status partial (with the version, source and conflict swapped out of band); a plain
    post goes back to the page, or shows it again with the conflict or error."""
    org, can_edit = _settings_org(request, pk)
    d = next((d for d in definitions() if d.slug == slug), None)
    if d is None or not _editable(org, d, can_edit):
        raise Http404("Not found")
    expected = editing.expected_version(request.POST)
    form = SettingForm(request.POST, definition=d)
    autosave = editing.Autosave(
        slug=d.slug, version=expected, reload_url=f"{_page_url(org)}#setting-{d.slug}"
    )
    reset = bool(request.POST.get("reset"))
    if reset or form.is_valid():
        try:
            if reset:
                row = services.setting_reset(
                    organization=org, key=d.key, expected_version=expected, actor=request.user
                )
            else:
                row = services.setting_set(
                    organization=org,
                    key=d.key,
                    value=form.cleaned_data["value"],
                    expected_version=expected,
                    actor=request.user,
                )
        except editing.EditConflict as conflict:
            autosave.conflict = conflict
            # A new query string, so the link loads the page again (a bare #fragment would not).
            autosave.reload_url = f"{_page_url(org)}?saved={conflict.version}#setting-{d.slug}"
        except (ValidationError, ApplicationError) as exc:
            autosave.error = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        else:
            autosave.version = row.version if row is not None else expected
            autosave.saved_at = row.edited_at if row is not None else None
    else:
        autosave.error = "; ".join(str(e) for e in form.errors.get("value", ["Check the value."]))
    selectors.forget_settings(org)
    eff = selectors.settings_for(org)[d.key]
    if request.htmx:  # type: ignore[attr-defined]
        context = {"autosave": autosave, "eff": eff, "d": d, "is_state": org.kind == Kind.STATE}
        if reset and not (autosave.conflict or autosave.error):
            context["block"] = _block(org, eff, can_edit)
        return render(request, "config/_setting_saved.html", context)
    if autosave.conflict or autosave.error:
        block = _block(org, eff, can_edit, form=form, autosave=autosave)
        return _page(request, org, can_edit, changed={d.key: block}, status=409 if autosave.conflict else 400)
    messages.success(
        request,
        f"“{d.label}” is now {eff.display} ({'inherited: ' if reset else ''}{eff.source_label.lower()}).",
    )
    return redirect(f"{_page_url(org)}#setting-{d.slug}")
