"""Copying, editing and publishing frameworks: who may, what a draft allows, what publishing freezes."""

from __future__ import annotations

import pytest

from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.evaluations import services
from edlead.evaluations.models import Descriptor, Element, Framework, Indicator, Standard
from edlead.evaluations.selectors import framework_data
from edlead.testing import make_district, make_user


def _strip(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("name", "version")}


def test_district_admin_copies_the_state_framework_as_a_draft(
    world: World, admin_framework: Framework
) -> None:
    copy = services.framework_copy(
        actor=world.users["district_admin"],
        framework=admin_framework,
        district=world.orgs["A"],
        name="Alpha rubric",
    )
    assert copy.status == Framework.Status.DRAFT
    assert copy.organization == world.orgs["A"]
    assert copy.based_on == admin_framework
    assert copy.name == "Alpha rubric" and copy.version == admin_framework.version
    assert _strip(framework_data(copy)) == _strip(framework_data(admin_framework))
    event = AuditEvent.objects.get(action=services.FRAMEWORK_COPIED, target_id=str(copy.pk))
    assert event.actor == world.users["district_admin"]
    assert event.scope == f"|{world.orgs['A'].path}|"
    # A second copy gets a free version label instead of clashing.
    again = services.framework_copy(
        actor=world.users["district_admin"], framework=admin_framework, district=world.orgs["A"]
    )
    assert again.version == "2024-2"


def test_only_administrators_of_the_district_copy_for_it(world: World, admin_framework: Framework) -> None:
    for role in ("hr", "school_leader", "superintendent", "educator", "no_role"):
        with pytest.raises(ApplicationError):
            services.framework_copy(
                actor=world.users[role], framework=admin_framework, district=world.orgs["A"]
            )
    with pytest.raises(ApplicationError):  # Alpha's administrator, for Beta
        services.framework_copy(
            actor=world.users["district_admin"], framework=admin_framework, district=world.orgs["B"]
        )
    with pytest.raises(ApplicationError):  # nor a new state version
        services.framework_copy(actor=world.users["district_admin"], framework=admin_framework, district=None)
    state_version = services.framework_copy(
        actor=world.users["state_admin"], framework=admin_framework, district=None, version="2025"
    )
    assert state_version.organization is None and state_version.version == "2025"
    assert not Framework.objects.filter(organization=world.orgs["B"]).exists()


def test_draft_edits_add_change_and_remove_parts(world: World, alpha_copy: Framework) -> None:
    actor = world.users["district_admin"]
    standard = services.standard_add(actor=actor, framework=alpha_copy, code="V", name="Equity")
    indicator = services.indicator_add(actor=actor, standard=standard, code="V-A", name="Access")
    element = services.element_add(actor=actor, indicator=indicator, code="V-A-1", name="Course access")
    services.element_update(
        actor=actor,
        element=element,
        name="Course access for all",
        descriptors={
            "exemplary": "Leads",
            "proficient": "Ensures",
            "needs_improvement": "",
            "unsatisfactory": "No",
        },
    )
    assert dict(element.descriptors.values_list("level", "text")) == {
        "exemplary": "Leads",
        "proficient": "Ensures",
        "unsatisfactory": "No",
    }
    services.standard_update(
        actor=actor, standard=standard, name="Equity and Access", required_for_proficient=True
    )
    assert Standard.objects.get(pk=standard.pk).required_for_proficient
    with pytest.raises(ApplicationError, match="V-"):
        services.indicator_add(actor=actor, standard=standard, code="I-Z", name="Wrong standard")
    with pytest.raises(ApplicationError, match="already used"):
        services.element_add(actor=actor, indicator=indicator, code="V-A-1", name="Twice")
    with pytest.raises(ApplicationError):
        services.standard_add(actor=actor, framework=alpha_copy, code="I", name="Duplicate")
    services.element_remove(actor=actor, element=element)
    services.indicator_remove(actor=actor, indicator=indicator)
    services.standard_remove(actor=actor, standard=standard)
    assert not Standard.objects.filter(framework=alpha_copy, code="V").exists()
    changes = AuditEvent.objects.filter(action=services.FRAMEWORK_CHANGED, target_id=str(alpha_copy.pk))
    assert changes.count() == 8  # three adds, two changes, three removals


def test_another_district_administrator_cannot_edit_the_copy(world: World, alpha_copy: Framework) -> None:
    beta_admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, world.orgs["B"])], password=None)
    standard = alpha_copy.standards.get(code="I")
    for call in (
        lambda: services.framework_update(
            actor=beta_admin, framework=alpha_copy, name="X", version="1", description=""
        ),
        lambda: services.standard_add(actor=beta_admin, framework=alpha_copy, code="V", name="X"),
        lambda: services.standard_remove(actor=beta_admin, standard=standard),
        lambda: services.framework_publish(actor=beta_admin, framework=alpha_copy),
        lambda: services.framework_delete(actor=beta_admin, framework=alpha_copy),
    ):
        with pytest.raises(ApplicationError, match="may not manage"):
            call()
    assert alpha_copy.standards.count() == 4


def test_published_framework_cannot_be_edited(
    world: World, admin_framework: Framework, alpha_copy: Framework
) -> None:
    actor = world.users["district_admin"]
    published = services.framework_publish(actor=actor, framework=alpha_copy)
    assert published.status == Framework.Status.PUBLISHED and published.published_at is not None
    standard = published.standards.get(code="I")
    indicator = standard.indicators.get(code="I-A")
    element = indicator.elements.first()
    assert element is not None
    for call in (
        lambda: services.framework_update(
            actor=actor, framework=published, name="X", version="9", description=""
        ),
        lambda: services.standard_add(actor=actor, framework=published, code="V", name="X"),
        lambda: services.indicator_add(actor=actor, standard=standard, code="I-Z", name="X"),
        lambda: services.element_update(actor=actor, element=element, name="X", descriptors={}),
        lambda: services.element_remove(actor=actor, element=element),
        lambda: services.framework_delete(actor=actor, framework=published),
    ):
        with pytest.raises(ApplicationError, match="never edited"):
            call()
    # The state's own published default is as frozen, even for the state administrator.
    with pytest.raises(ApplicationError, match="never edited"):
        services.standard_add(actor=world.users["state_admin"], framework=admin_framework, code="V", name="X")


def test_publishing_needs_every_descriptor_and_retires_the_earlier_version(
    world: World, alpha_copy: Framework
) -> None:
    actor = world.users["district_admin"]
    first = services.framework_publish(actor=actor, framework=alpha_copy)
    second = services.framework_copy(actor=actor, framework=first, district=world.orgs["A"], version="2025")
    element = Element.objects.get(indicator__standard__framework=second, code="I-A-1")
    services.element_update(actor=actor, element=element, name=element.name, descriptors={"exemplary": ""})
    with pytest.raises(ApplicationError, match="I-A-1 has no Exemplary descriptor"):
        services.framework_publish(actor=actor, framework=second)
    services.element_update(
        actor=actor, element=element, name=element.name, descriptors={"exemplary": "Leads"}
    )
    services.framework_publish(actor=actor, framework=second)
    first.refresh_from_db()
    assert first.status == Framework.Status.RETIRED
    assert AuditEvent.objects.filter(action=services.FRAMEWORK_PUBLISHED).count() == 2


def test_a_framework_with_copies_is_not_deleted_but_a_plain_draft_is(
    world: World, alpha_copy: Framework
) -> None:
    actor = world.users["district_admin"]
    services.framework_copy(actor=actor, framework=alpha_copy, district=world.orgs["A"], version="next")
    with pytest.raises(ApplicationError, match="in use"):
        services.framework_delete(actor=actor, framework=alpha_copy)
    assert Framework.objects.filter(pk=alpha_copy.pk).exists()
    lone = services.framework_copy(
        actor=actor,
        framework=Framework.objects.get(organization=None, code="ma-teacher"),
        district=world.orgs["A"],
    )
    pks = list(
        Descriptor.objects.filter(element__indicator__standard__framework=lone).values_list("pk", flat=True)
    )
    services.framework_delete(actor=actor, framework=lone)
    assert not Framework.objects.filter(pk=lone.pk).exists()
    assert not Descriptor.objects.filter(pk__in=pks).exists()
    assert not Indicator.objects.filter(standard__framework_id=lone.pk).exists()


def test_manage_targets(world: World) -> None:
    assert services.manage_targets(world.users["district_admin"]) == [world.orgs["A"]]
    assert services.manage_targets(world.users["hr"]) == []
    targets = services.manage_targets(world.users["state_admin"])
    assert targets[0] is None and world.orgs["A"] in targets and world.orgs["B"] in targets
    assert services.manage_targets(None) == [None]
    other = make_district("Gamma")
    assert other not in services.manage_targets(world.users["district_admin"])
