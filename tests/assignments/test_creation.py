from assignments.enums import AssignmentStatus
from assignments.models import Assignment


def test_choice_makes_assignment(chosen):
    assert chosen.status == AssignmentStatus.DRAFTING
    assert Assignment.objects.count() == 1
    assert chosen.sessions.count() == 1
    assert chosen.share_email is True
