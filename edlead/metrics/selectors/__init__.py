"""Readers for the performance pages. Each returns everything its page needs in a fixed number of
queries, whatever the number of schools, metrics, years or groups: facts are read once, narrowed to the
organizations and metrics the page shows, and arranged in Python.

Access: the page's organization or person comes through the chokepoint (`policy.get_for_user`), the
schools through `policy.visible_to`. Facts are read only for organizations obtained that way: a school
the user may see, and its district and the state (ancestors are visible for context under `org.view`,
and their figures are DESE's public aggregates). Every value goes through `visible_value`, so a
suppressed figure never reaches a template or an export.
"""

from edlead.metrics.selectors.common import year_label
from edlead.metrics.selectors.compare import comparison
from edlead.metrics.selectors.leaders import leader_outcomes
from edlead.metrics.selectors.retention import retention
from edlead.metrics.selectors.school import EXPORT_HEADER, school_performance

__all__ = ["EXPORT_HEADER", "comparison", "leader_outcomes", "retention", "school_performance", "year_label"]
