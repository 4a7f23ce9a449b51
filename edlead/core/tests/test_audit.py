import pytest

from edlead.core.models import AuditEvent
from edlead.core.services import audit_record


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted() -> None:
    event = audit_record(action=AuditEvent.Action.EXPORTED, target_label="schools.csv")
    assert event.actor_label == "system"
    event.target_label = "something else"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).target_label == "schools.csv"
