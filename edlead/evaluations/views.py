"""Framework pages: the list, a rubric, its exports, copying, importing, and editing a draft."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.evaluations import forms, interchange, selectors, services
from edlead.evaluations.models import Element, Framework, Indicator, PerformanceLevel, Standard
from edlead.lib.exports import csv_response

NOT_STORED = "no-store, private"


def _framework(request: HttpRequest, pk: int, action: str = policy.FRAMEWORK_VIEW) -> Framework:
    return policy.get_for_user(
        request.user, Framework.objects.select_related("organization", "based_on"), action, pk=pk
    )


def _editable(request: HttpRequest, pk: int) -> Framework:
    """A framework the user manages (404 otherwise)."""
    return _framework(request, pk, policy.FRAMEWORK_MANAGE)


@login_required
@require_safe
def framework_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.FRAMEWORK_VIEW):
        raise PermissionDenied
    frameworks = list(selectors.frameworks_for(request.user))
    targets = services.manage_targets(request.user)
    return render(
        request,
        "evaluations/framework_list.html",
        {
            "state_frameworks": [f for f in frameworks if f.organization_id is None],
            "district_frameworks": [f for f in frameworks if f.organization_id is not None],
            "may_import": bool(targets),
        },
    )


@login_required
@require_safe
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    tree = selectors.framework_tree(framework)
    targets = services.manage_targets(request.user)
    may_manage = policy.can(request.user, policy.FRAMEWORK_MANAGE, framework)
    return render(
        request,
        "evaluations/framework_detail.html",
        {
            "framework": framework,
            "tree": tree,
            "rows": selectors.rubric_rows(tree),
            "levels": PerformanceLevel.ordered(),
            # The framework it came from may be another district's: named, linked only when open.
            "based_on_open": framework.based_on is not None
            and policy.can(request.user, policy.FRAMEWORK_VIEW, framework.based_on),
            "may_edit": may_manage and framework.is_draft,
            "may_retire": may_manage and framework.status == Framework.Status.PUBLISHED,
            "copy_form": forms.FrameworkCopyForm(targets=targets) if targets else None,
        },
    )


@login_required
@require_safe
def framework_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    body = json.dumps(interchange.document(selectors.framework_data(framework)), indent=1, ensure_ascii=False)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework.code}-{framework.version}.json"'
    response["Cache-Control"] = NOT_STORED
    _export_audit(response, framework)
    return response


@login_required
@require_safe
def framework_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    rows = interchange.to_rows(selectors.framework_data(framework))
    response = csv_response(f"{framework.code}-{framework.version}.csv", interchange.CSV_HEADER, rows)
    _export_audit(response, framework)
    return response


def _export_audit(response: HttpResponse, framework: Framework) -> None:
    response.audit_label = str(framework)  # type: ignore[attr-defined]
    response.audit_scope = [framework.organization.path] if framework.organization else []  # type: ignore[attr-defined]


@login_required
@require_POST
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    targets = services.manage_targets(request.user)
    if not targets:
        raise PermissionDenied
    form = forms.FrameworkCopyForm(request.POST, targets=targets)
    if not form.is_valid():
        messages.error(request, "Choose where the copy belongs.")
        return redirect(framework)
    try:
        copy = services.framework_copy(
            actor=request.user,
            framework=framework,
            district=form.cleaned_data["owner"],
            name=form.cleaned_data["name"],
            version=form.cleaned_data["version"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(framework)
    messages.success(request, f"“{copy}” is a draft copy: edit it, then publish it.")
    return redirect("evaluations:framework-edit", pk=copy.pk)


@login_required
def framework_import(request: HttpRequest) -> HttpResponse:
    targets = services.manage_targets(request.user)
    if not targets:
        raise PermissionDenied
    form = forms.FrameworkImportForm(request.POST or None, request.FILES or None, targets=targets)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        owner = form.cleaned_data["owner"]
        try:
            framework = _import_upload(request, upload, owner, problems)
        except ApplicationError as exc:
            problems = exc.extra.get("problems") or [exc.message]
            framework = None
        if framework is not None:
            messages.success(request, f"“{framework}” was imported as a draft.")
            return redirect("evaluations:framework-edit", pk=framework.pk)
    return render(request, "evaluations/framework_import.html", {"form": form, "problems": problems})


def _import_upload(request: HttpRequest, upload: Any, owner: Any, problems: list[str]) -> Framework | None:
    name = Path(upload.name).name
    if name.lower().endswith(".json"):
        return services.framework_import_json(
            actor=request.user, content=upload.read(), organization=owner, file_name=name
        )
    # A CSV goes through the import framework's reader and the framework kind (encodings, line numbers).
    from edlead.evaluations.kinds import CREATED, OWNER, FrameworkRubric
    from edlead.imports.services import import_file

    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    shared: dict[str, Any] = {OWNER: owner}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        outcome = import_file(
            path=path, name=name, kind=FrameworkRubric.slug, actor=request.user, shared=shared
        )
    if outcome.refused or not outcome.applied:
        problems.extend(str(issue) for issue in outcome.errors)
        return None
    created: list[Framework] = shared.get(CREATED, [])
    return created[0] if created else None


# --- editing a draft -------------------------------------------------------------------------------
@login_required
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _editable(request, pk)
    if not framework.is_draft:
        messages.info(request, "A published framework is not edited: copy it to make a new draft.")
        return redirect(framework)
    form = forms.FrameworkDetailsForm(
        request.POST or None,
        initial={"name": framework.name, "version": framework.version, "description": framework.description},
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and _run(request, services.framework_update, framework=framework, **form.cleaned_data)
    )
    if saved:
        messages.success(request, "Saved.")
        return redirect("evaluations:framework-edit", pk=framework.pk)
    return render(
        request,
        "evaluations/framework_edit.html",
        {
            "framework": framework,
            "form": form,
            "tree": selectors.framework_tree(framework),
            "standard_form": forms.StandardForm(prefix="new-standard"),
        },
    )


def _run(request: HttpRequest, service: Any, **kwargs: Any) -> bool:
    try:
        service(actor=request.user, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    return True


def _back(framework: Framework, anchor: str = "") -> HttpResponse:
    from django.urls import reverse

    return redirect(
        reverse("evaluations:framework-edit", args=[framework.pk]) + (f"#{anchor}" if anchor else "")
    )


def _invalid(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label or field.capitalize()}: {' '.join(errors)}")


def _status_step(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    framework = _editable(request, pk)
    if _run(request, service, framework=framework):
        messages.success(request, f"“{framework}” is {done}.")
    return redirect(framework)


@login_required
@require_POST
def framework_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_step(request, pk, services.framework_publish, "published")


@login_required
@require_POST
def framework_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_step(request, pk, services.framework_retire, "retired")


@login_required
@require_POST
def framework_delete(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _editable(request, pk)
    if _run(request, services.framework_delete, framework=framework):
        messages.success(request, f"The draft “{framework}” was deleted.")
        return redirect("evaluations:framework-list")
    return redirect(framework)


@login_required
@require_POST
def standard_add(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _editable(request, pk)
    form = forms.StandardForm(request.POST, prefix="new-standard")
    if form.is_valid():
        _run(request, services.standard_add, framework=framework, **form.cleaned_data)
    else:
        _invalid(request, form)
    return _back(framework)


def _part(request: HttpRequest, model: Any, pk: int, path: str) -> Any:
    """A standard, indicator or element of a framework the user manages (404 otherwise)."""
    frameworks = policy.visible_to(request.user, Framework.objects.all(), policy.FRAMEWORK_MANAGE)
    try:
        return model.objects.select_related(path).get(**{f"{path}__in": frameworks}, pk=pk)
    except model.DoesNotExist as exc:
        raise Http404("Not found") from exc


@login_required
@require_POST
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _part(request, Standard, pk, "framework")
    if "remove" in request.POST:
        _run(request, services.standard_remove, standard=standard)
        return _back(standard.framework)
    form = forms.StandardForm(request.POST, prefix=f"s{standard.pk}", initial={"code": standard.code})
    form.fields["code"].required = False
    if form.is_valid():
        _run(
            request,
            services.standard_update,
            standard=standard,
            name=form.cleaned_data["name"],
            required_for_proficient=form.cleaned_data["required_for_proficient"],
        )
    else:
        _invalid(request, form)
    return _back(standard.framework, f"standard-{standard.pk}")


def _add_part(request: HttpRequest, parent: Standard | Indicator) -> HttpResponse:
    """Add an indicator to a standard or an element to an indicator, from the edit page's small form."""
    service: Any
    if isinstance(parent, Standard):
        what, service, framework = "indicator", services.indicator_add, parent.framework
        kwargs: dict[str, Any] = {"standard": parent}
    else:
        what, service, framework = "element", services.element_add, parent.standard.framework
        kwargs = {"indicator": parent}
    form = forms.PartForm(request.POST, prefix=f"new-{what}-{parent.pk}")
    if form.is_valid():
        _run(request, service, **kwargs, **form.cleaned_data)
    else:
        _invalid(request, form)
    return _back(framework, f"{'standard' if what == 'indicator' else 'indicator'}-{parent.pk}")


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_part(request, _part(request, Standard, pk, "framework"))


@login_required
@require_POST
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _part(request, Indicator, pk, "standard__framework")
    framework = indicator.standard.framework
    if "remove" in request.POST:
        _run(request, services.indicator_remove, indicator=indicator)
        return _back(framework)
    name = request.POST.get(f"i{indicator.pk}-name", "").strip()
    if name:
        _run(request, services.indicator_update, indicator=indicator, name=name)
    else:
        messages.error(request, "Name: This field is required.")
    return _back(framework, f"indicator-{indicator.pk}")


@login_required
@require_POST
def element_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_part(request, _part(request, Indicator, pk, "standard__framework"))


@login_required
def element_edit(request: HttpRequest, pk: int) -> HttpResponse:
    element = _part(request, Element, pk, "indicator__standard__framework")
    framework = element.indicator.standard.framework
    if request.method == "POST" and "remove" in request.POST:
        _run(request, services.element_remove, element=element)
        return _back(framework, f"indicator-{element.indicator_id}")
    current = {d.level: d.text for d in element.descriptors.all()}
    initial = {
        "name": element.name,
        **{f"level_{lv}": current.get(str(lv), "") for lv in PerformanceLevel.ordered()},
    }
    form = forms.ElementForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            services.element_update,
            element=element,
            name=form.cleaned_data["name"],
            descriptors=form.descriptors(),
        )
    ):
        messages.success(request, f"Element {element.code} saved.")
        return _back(framework, f"indicator-{element.indicator_id}")
    return render(
        request, "evaluations/element_edit.html", {"framework": framework, "element": element, "form": form}
    )
