"""The default rubrics: the MA school-level administrator framework exactly as DOMAIN.md §3 lists it,
the superintendent and teacher frameworks, loaded once however often the loader runs."""

from __future__ import annotations

from typing import Any

from edlead.evaluations import services
from edlead.evaluations.models import Descriptor, Element, Framework, Indicator, PerformanceLevel, Standard
from edlead.evaluations.selectors import framework_tree

ADMIN_INDICATORS = {
    "I": ["I-A", "I-B", "I-C", "I-D", "I-E", "I-F"],
    "II": ["II-A", "II-B", "II-C", "II-D", "II-E"],
    "III": ["III-A", "III-B", "III-C", "III-D"],
    "IV": ["IV-A", "IV-B", "IV-C", "IV-D", "IV-E", "IV-F"],
}
ADMIN_NAMES = {
    "I-A": "Curriculum",
    "I-B": "Instruction",
    "I-C": "Assessment",
    "I-D": "Evaluation",
    "I-E": "Data-Informed Decision-Making",
    "I-F": "Student Learning",
    "II-A": "Environment",
    "II-B": "Human Resources Management and Development",
    "II-C": "Scheduling and Management Information Systems",
    "II-D": "Law, Ethics and Policies",
    "II-E": "Fiscal Systems",
    "III-A": "Engagement",
    "III-B": "Sharing Responsibility",
    "III-C": "Communication",
    "III-D": "Family Concerns",
    "IV-A": "Commitment to High Standards",
    "IV-B": "Cultural Proficiency",
    "IV-C": "Communications",
    "IV-D": "Continuous Learning",
    "IV-E": "Shared Vision",
    "IV-F": "Managing Conflict",
}


def test_administrator_framework_has_the_four_standards_and_the_indicators_of_domain_md(
    admin_framework: Framework,
) -> None:
    assert admin_framework.status == Framework.Status.PUBLISHED
    assert admin_framework.audience == Framework.Audience.ADMINISTRATOR
    tree = framework_tree(admin_framework)
    assert [(s.code, s.name) for s in tree] == [
        ("I", "Instructional Leadership"),
        ("II", "Management and Operations"),
        ("III", "Family and Community Engagement"),
        ("IV", "Professional Culture"),
    ]
    assert {s.code: [i.code for i in s.indicators.all()] for s in tree} == ADMIN_INDICATORS
    assert {i.code: i.name for s in tree for i in s.indicators.all()} == ADMIN_NAMES
    # Standard I alone decides a Proficient overall rating for administrators.
    assert [s.code for s in tree if s.required_for_proficient] == ["I"]
    for s in tree:
        for i in s.indicators.all():
            elements = list(i.elements.all())
            assert elements, f"{i.code} has no element"
            for e in elements:
                assert e.code.startswith(f"{i.code}-")
                levels = [d.level for d in e.descriptors.all()]
                assert sorted(levels) == sorted(PerformanceLevel.values)
                assert all(d.text.strip() for d in e.descriptors.all())


def test_teacher_and_superintendent_frameworks_are_loaded(db: Any) -> None:
    teacher = Framework.objects.get(organization=None, code="ma-teacher")
    assert [s.name for s in teacher.standards.order_by("order")] == [
        "Curriculum, Planning and Assessment",
        "Teaching All Students",
        "Family and Community Engagement",
        "Professional Culture",
    ]
    assert list(teacher.standards.filter(required_for_proficient=True).values_list("code", flat=True)) == [
        "I",
        "II",
    ]
    assert Indicator.objects.filter(standard__framework=teacher).count() >= 12
    superintendent = Framework.objects.get(organization=None, code="ma-superintendent")
    assert superintendent.audience == Framework.Audience.SUPERINTENDENT
    assert "same four standards and indicators" in superintendent.description
    codes = set(Indicator.objects.filter(standard__framework=superintendent).values_list("code", flat=True))
    assert codes == {c for cs in ADMIN_INDICATORS.values() for c in cs}


def test_loading_the_defaults_again_duplicates_nothing(admin_framework: Framework) -> None:
    counts = [m.objects.count() for m in (Framework, Standard, Indicator, Element, Descriptor)]
    assert services.load_default_frameworks() == []
    services.load_default_frameworks()
    assert [m.objects.count() for m in (Framework, Standard, Indicator, Element, Descriptor)] == counts
    assert Framework.objects.filter(organization=None, code="ma-administrator").count() == 1


def test_defaults_load_into_an_empty_database(db: Any) -> None:
    Framework.objects.all().delete()
    created = services.load_default_frameworks()
    assert sorted(f.code for f in created) == ["ma-administrator", "ma-superintendent", "ma-teacher"]
    assert Indicator.objects.filter(standard__framework__code="ma-administrator").count() == 21


def test_performance_levels_rank_highest_first() -> None:
    assert [lv.label for lv in PerformanceLevel.ordered()] == [
        "Exemplary",
        "Proficient",
        "Needs Improvement",
        "Unsatisfactory",
    ]
    assert PerformanceLevel.rank("proficient") > PerformanceLevel.rank("needs_improvement")
