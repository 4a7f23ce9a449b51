"""Writers for evaluation frameworks: the default rubrics, copies for districts, edits of a draft,
publishing, and building a framework from its JSON or CSV form. Every writer checks the actor through
`edlead.access.policy` (`actor=None` is the system: migrations, the command line) and is audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.evaluations import interchange
from edlead.evaluations.models import Descriptor, Element, Framework, Indicator, PerformanceLevel, Standard
from edlead.evaluations.selectors import framework_data
from edlead.orgs.models import Organization

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "default_frameworks.json"

FRAMEWORK_CREATED = "framework_created"
FRAMEWORK_COPIED = "framework_copied"
FRAMEWORK_CHANGED = "framework_changed"
FRAMEWORK_PUBLISHED = "framework_published"
FRAMEWORK_RETIRED = "framework_retired"
FRAMEWORK_DELETED = "framework_deleted"
AUDIT_VERBS = {
    FRAMEWORK_CREATED: "Evaluation framework created",
    FRAMEWORK_COPIED: "Evaluation framework copied",
    FRAMEWORK_CHANGED: "Evaluation framework changed",
    FRAMEWORK_PUBLISHED: "Evaluation framework published",
    FRAMEWORK_RETIRED: "Evaluation framework retired",
    FRAMEWORK_DELETED: "Evaluation framework deleted",
}


# --- who may write where ---------------------------------------------------------------------------
def may_manage_state(user: Any) -> bool:
    """May `user` write the state's own frameworks (the system, superusers, state-level grants)?"""
    return user is None or policy.can(user, policy.FRAMEWORK_MANAGE, Framework(organization=None))


def manage_targets(user: Any) -> list[Organization | None]:
    """Where `user` may create frameworks: None (the state) first when allowed, then their districts."""
    targets: list[Organization | None] = [None] if may_manage_state(user) else []
    if user is None:
        return targets
    districts = policy.visible_to(
        user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.ORG_MANAGE
    ).order_by("name")
    targets.extend(
        d for d in districts if policy.can(user, policy.FRAMEWORK_MANAGE, Framework(organization=d))
    )
    return targets


def _check_owner(actor: Any, organization: Organization | None) -> None:
    if organization is not None and organization.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("A framework belongs to the state or to a district.")
    if actor is None:
        return
    if not policy.can(actor, policy.FRAMEWORK_MANAGE, Framework(organization=organization)):
        where = organization.name if organization is not None else "the state"
        raise ApplicationError(f"You may not manage evaluation frameworks for {where}.")


def _lock_draft(actor: Any, framework: Framework) -> Framework:
    """The framework locked for the rest of the transaction, if the actor may edit it and it is a draft."""
    current = (
        Framework.objects.select_for_update(of=("self",)).select_related("organization").get(pk=framework.pk)
    )
    _check_owner(actor, current.organization)
    if current.status != Framework.Status.DRAFT:
        raise ApplicationError(
            f"“{current}” is {current.get_status_display().lower()}: a published framework is never edited. "
            "Copy it to make a new draft."
        )
    return current


def _free_version(code: str, organization: Organization | None, wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… when the owner already has that code and version."""
    taken = set(
        Framework.objects.filter(code=code, organization=organization).values_list("version", flat=True)
    )
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}"[:40] in taken:
        n += 1
    return f"{wanted}-{n}"[:40]


# --- building from data ----------------------------------------------------------------------------
def _build(framework: Framework, data: dict[str, Any]) -> None:
    """Write the standards, indicators, elements and descriptors of validated `data` under `framework`."""
    for s_order, s in enumerate(data["standards"], start=1):
        standard = Standard(
            framework=framework,
            code=s["code"],
            name=s["name"],
            order=s_order,
            required_for_proficient=s["required_for_proficient"],
        )
        standard.full_clean(exclude=["framework"], validate_constraints=False)
        standard.save()
        indicators = [
            Indicator(standard=standard, code=i["code"], name=i["name"], order=n)
            for n, i in enumerate(s["indicators"], start=1)
        ]
        for new_indicator in indicators:
            new_indicator.full_clean(exclude=["standard"], validate_constraints=False)
        Indicator.objects.bulk_create(indicators)
        elements: list[Element] = []
        texts: list[dict[str, str]] = []
        for indicator, i in zip(indicators, s["indicators"], strict=True):
            for n, e in enumerate(i["elements"], start=1):
                element = Element(indicator=indicator, code=e["code"], name=e["name"], order=n)
                element.full_clean(exclude=["indicator"], validate_constraints=False)
                elements.append(element)
                texts.append(e["descriptors"])
        Element.objects.bulk_create(elements)
        descriptors = [
            Descriptor(element=element, level=level, text=text)
            for element, by_level in zip(elements, texts, strict=True)
            for level, text in by_level.items()
        ]
        for descriptor in descriptors:
            descriptor.full_clean(exclude=["element"], validate_constraints=False)
        Descriptor.objects.bulk_create(descriptors)


def _create(
    *,
    data: dict[str, Any],
    organization: Organization | None,
    status: str,
    based_on: Framework | None = None,
    name: str | None = None,
    version: str | None = None,
) -> Framework:
    cleaned, problems = interchange.validate(data)
    if problems:
        raise ApplicationError(
            "The framework was not saved: " + "; ".join(str(p) for p in problems[:20]),
            extra={"problems": [str(p) for p in problems]},
        )
    framework = Framework(
        name=(name or cleaned["name"])[:200],
        code=cleaned["code"],
        audience=cleaned["audience"],
        version=_free_version(cleaned["code"], organization, version or cleaned["version"]),
        description=cleaned["description"],
        organization=organization,
        based_on=based_on,
        status=status,
        published_at=timezone.now() if status == Framework.Status.PUBLISHED else None,
    )
    framework.full_clean()
    framework.save()
    _build(framework, cleaned)
    return framework


@transaction.atomic
def framework_create_from_data(
    *, actor: Any, data: Any, organization: Organization | None, source: str = ""
) -> Framework:
    """A new draft framework from its nested form (an imported file). Raises ApplicationError listing
    every problem, having written nothing."""
    _check_owner(actor, organization)
    framework = _create(data=data, organization=organization, status=Framework.Status.DRAFT)
    audit_record(
        action=FRAMEWORK_CREATED, actor=actor, target=framework, detail={"source": source or "import"}
    )
    return framework


def framework_import_json(
    *, actor: Any, content: bytes, organization: Organization | None, file_name: str = ""
) -> Framework:
    """A new draft from a JSON file; a plain ApplicationError (where and what) for a bad one."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read): save it as UTF-8 JSON."
        ) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApplicationError(f"Line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}).") from exc
    data = interchange.from_document(doc)
    if data is None:
        raise ApplicationError("The file is JSON but not an EdLead evaluation framework.")
    return framework_create_from_data(actor=actor, data=data, organization=organization, source=file_name)


@transaction.atomic
def load_default_frameworks(path: Path = DEFAULTS_FILE) -> list[Framework]:
    """The state's default rubrics (MA administrator, superintendent, teacher), published. Idempotent:
    a framework whose code and version the state already has is left as it is."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    created = []
    for data in doc["frameworks"]:
        if Framework.objects.filter(organization=None, code=data["code"], version=data["version"]).exists():
            continue
        framework = _create(data=data, organization=None, status=Framework.Status.PUBLISHED)
        audit_record(action=FRAMEWORK_CREATED, actor=None, target=framework, detail={"source": "defaults"})
        created.append(framework)
    return created


# --- copies and versions ---------------------------------------------------------------------------
@transaction.atomic
def framework_copy(
    *,
    actor: Any,
    framework: Framework,
    district: Organization | None,
    name: str = "",
    version: str = "",
) -> Framework:
    """A draft copy of `framework` for `district` (None: a new state version), `based_on` it."""
    _check_owner(actor, district)
    if actor is not None and not policy.can(actor, policy.FRAMEWORK_VIEW, framework):
        raise ApplicationError("That framework is not one you may see.")
    copy = _create(
        data=framework_data(framework),
        organization=district,
        status=Framework.Status.DRAFT,
        based_on=framework,
        name=name.strip() or framework.name,
        version=version.strip() or framework.version,
    )
    audit_record(
        action=FRAMEWORK_COPIED,
        actor=actor,
        target=copy,
        detail={"from": framework.pk, "from_label": str(framework)},
    )
    return copy


@transaction.atomic
def framework_publish(*, actor: Any, framework: Framework) -> Framework:
    """Publish a draft: complete (every standard has indicators, every indicator elements, every element
    all four descriptors) and from now on unchangeable. The owner's earlier published version of the
    same code retires."""
    current = _lock_draft(actor, framework)
    data = framework_data(current)
    gaps = []
    if not data["standards"]:
        gaps.append("it has no standards")
    for s in data["standards"]:
        if not s["indicators"]:
            gaps.append(f"standard {s['code']} has no indicators")
        for i in s["indicators"]:
            if not i["elements"]:
                gaps.append(f"indicator {i['code']} has no elements")
            for e in i["elements"]:
                missing = [
                    interchange.LEVEL_LABELS[lv] for lv in interchange.LEVELS if lv not in e["descriptors"]
                ]
                if missing:
                    gaps.append(f"element {e['code']} has no {', '.join(missing)} descriptor")
    if gaps:
        raise ApplicationError(
            "Not published: " + "; ".join(gaps[:10]) + ("…" if len(gaps) > 10 else "") + "."
        )
    retired = list(
        Framework.objects.select_for_update()
        .filter(organization=current.organization, code=current.code, status=Framework.Status.PUBLISHED)
        .exclude(pk=current.pk)
    )
    for old in retired:
        old.status = Framework.Status.RETIRED
        old.save(update_fields=["status", "updated_at"])
        audit_record(action=FRAMEWORK_RETIRED, actor=actor, target=old, detail={"replaced_by": current.pk})
    current.status = Framework.Status.PUBLISHED
    current.published_at = timezone.now()
    current.full_clean()
    current.save()
    audit_record(action=FRAMEWORK_PUBLISHED, actor=actor, target=current)
    return current


@transaction.atomic
def framework_retire(*, actor: Any, framework: Framework) -> Framework:
    current = (
        Framework.objects.select_for_update(of=("self",)).select_related("organization").get(pk=framework.pk)
    )
    _check_owner(actor, current.organization)
    if current.status != Framework.Status.PUBLISHED:
        raise ApplicationError("Only a published framework can be retired.")
    current.status = Framework.Status.RETIRED
    current.save(update_fields=["status", "updated_at"])
    audit_record(action=FRAMEWORK_RETIRED, actor=actor, target=current)
    return current


@transaction.atomic
def framework_delete(*, actor: Any, framework: Framework) -> None:
    """Delete a draft. Anything that points at it (a copy, later an evaluation) keeps it."""
    current = _lock_draft(actor, framework)
    label = str(current)
    scope = [current.organization.path] if current.organization else []
    try:
        current.delete()
    except ProtectedError as exc:
        raise ApplicationError(f"“{label}” is in use and cannot be deleted.") from exc
    audit_record(action=FRAMEWORK_DELETED, actor=actor, target_label=label, scope=scope)


# --- editing a draft -------------------------------------------------------------------------------
def _changed(actor: Any, framework: Framework, what: str, **detail: Any) -> None:
    audit_record(action=FRAMEWORK_CHANGED, actor=actor, target=framework, detail={"change": what, **detail})


def _save(obj: Any) -> None:
    """Validate and save one part; a broken rule is a message for the person, not a traceback."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # two people adding the same code at once
        raise ApplicationError("That code is already used here.") from exc


def _next_order(queryset: Any) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def framework_update(
    *, actor: Any, framework: Framework, name: str, version: str, description: str
) -> Framework:
    current = _lock_draft(actor, framework)
    current.name, current.version, current.description = name.strip(), version.strip(), description.strip()
    _save(current)
    _changed(actor, current, "details", name=current.name, version=current.version)
    return current


@transaction.atomic
def standard_add(
    *, actor: Any, framework: Framework, code: str, name: str, required_for_proficient: bool = False
) -> Standard:
    current = _lock_draft(actor, framework)
    standard = Standard(
        framework=current,
        code=code.strip(),
        name=name.strip(),
        required_for_proficient=required_for_proficient,
        order=_next_order(current.standards.all()),
    )
    if not interchange._PART.match(standard.code):
        raise ApplicationError("A standard's code holds only letters and digits (I, II, III…).")
    _save(standard)
    _changed(actor, current, "standard added", code=standard.code)
    return standard


@transaction.atomic
def standard_update(
    *, actor: Any, standard: Standard, name: str, required_for_proficient: bool, order: int | None = None
) -> Standard:
    framework = _lock_draft(actor, standard.framework)
    standard.name, standard.required_for_proficient = name.strip(), required_for_proficient
    if order is not None:
        standard.order = order
    _save(standard)
    _changed(actor, framework, "standard changed", code=standard.code)
    return standard


@transaction.atomic
def standard_remove(*, actor: Any, standard: Standard) -> None:
    framework = _lock_draft(actor, standard.framework)
    code = standard.code
    standard.delete()
    _changed(actor, framework, "standard removed", code=code)


def _add_child(
    *, actor: Any, framework: Framework, parent: Standard | Indicator, code: str, name: str
) -> Any:
    """A new indicator of a standard or element of an indicator: its code is the parent's, a dash and a
    part, used nowhere else in the framework; it goes last."""
    current = _lock_draft(actor, framework)
    code = code.strip()
    what = "indicator" if isinstance(parent, Standard) else "element"
    prefix = f"{parent.code}-"
    if not code.startswith(prefix) or not interchange._PART.match(code[len(prefix) :]):
        raise ApplicationError(
            f"An {what}'s code must be “{prefix}” followed by letters or digits, e.g. {prefix}1."
        )
    used = {
        *Indicator.objects.filter(standard__framework=current).values_list("code", flat=True),
        *Element.objects.filter(indicator__standard__framework=current).values_list("code", flat=True),
    }
    if code in used:
        raise ApplicationError(f"The code {code} is already used in this framework.")
    child: Indicator | Element
    if isinstance(parent, Standard):
        child = Indicator(
            standard=parent, code=code, name=name.strip(), order=_next_order(parent.indicators.all())
        )
    else:
        child = Element(
            indicator=parent, code=code, name=name.strip(), order=_next_order(parent.elements.all())
        )
    _save(child)
    _changed(actor, current, f"{what} added", code=code)
    return child


@transaction.atomic
def indicator_add(*, actor: Any, standard: Standard, code: str, name: str) -> Indicator:
    indicator: Indicator = _add_child(
        actor=actor, framework=standard.framework, parent=standard, code=code, name=name
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, name: str, order: int | None = None) -> Indicator:
    framework = _lock_draft(actor, indicator.standard.framework)
    indicator.name = name.strip()
    if order is not None:
        indicator.order = order
    _save(indicator)
    _changed(actor, framework, "indicator changed", code=indicator.code)
    return indicator


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator) -> None:
    framework = _lock_draft(actor, indicator.standard.framework)
    code = indicator.code
    indicator.delete()
    _changed(actor, framework, "indicator removed", code=code)


@transaction.atomic
def element_add(*, actor: Any, indicator: Indicator, code: str, name: str) -> Element:
    element: Element = _add_child(
        actor=actor, framework=indicator.standard.framework, parent=indicator, code=code, name=name
    )
    return element


@transaction.atomic
def element_update(
    *, actor: Any, element: Element, name: str, descriptors: dict[str, str], order: int | None = None
) -> Element:
    """Rename an element and set its descriptors (level → text; an empty text removes that level's)."""
    framework = _lock_draft(actor, element.indicator.standard.framework)
    element.name = name.strip()
    if order is not None:
        element.order = order
    _save(element)
    existing = {d.level: d for d in element.descriptors.all()}
    for level, text in descriptors.items():
        if level not in PerformanceLevel.values:
            raise ApplicationError(f"“{level}” is not a performance level.")
        text = text.strip()
        found = existing.get(level)
        if not text:
            if found is not None:
                found.delete()
        elif found is None:
            _save(Descriptor(element=element, level=level, text=text))
        elif found.text != text:
            found.text = text
            _save(found)
    _changed(actor, framework, "element changed", code=element.code)
    return element


@transaction.atomic
def element_remove(*, actor: Any, element: Element) -> None:
    framework = _lock_draft(actor, element.indicator.standard.framework)
    code = element.code
    element.delete()
    _changed(actor, framework, "element removed", code=code)
