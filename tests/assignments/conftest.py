"""A world with one chosen person, made the way the app makes it: the coordinator confirms the choice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from assignments.models import Assignment
from assignments.services import update_agreement
from matching.services import answer, confirm_choice, default_deadline, send_inquiries
from requests_app.enums import RequestStatus
from requests_app.services import set_request_status
from tests.factories import UserFactory, active_resource, submitted_request


def make_chosen(coordinator, unit, unit_staff, resource_user=None, **request_kwargs) -> Assignment:
    """A request by `unit_staff`, matched with one person who said yes (sharing e-mail): the assignment."""
    request_kwargs.setdefault("starts_on", timezone.localdate() + timedelta(days=20))
    req = submitted_request(unit=unit, created_by=unit_staff, contact_email=unit_staff.email, **request_kwargs)
    set_request_status(req, RequestStatus.IN_TRIAGE, actor=coordinator)
    set_request_status(req, RequestStatus.READY, actor=coordinator)
    if resource_user is not None:
        person = resource_user.experience_resource
        person.training_completed_on = timezone.localdate() - timedelta(days=60)
        person.save()
    else:
        user = UserFactory(roles=[Role.RESOURCE])
        person = active_resource(user=user, email=user.email)
    (inquiry,) = send_inquiries(req, [person], deadline=default_deadline(req), actor=coordinator)
    answer(inquiry, yes=True, share_email=True)
    confirm_choice(req, [inquiry], actor=coordinator)
    return Assignment.objects.get(inquiry=inquiry)


@pytest.fixture
def chosen(coordinator, unit, unit_staff, resource_user):
    return make_chosen(coordinator, unit, unit_staff, resource_user, title="Berätta om diabetes för nya sjuksköterskor")


def ready_to_sign(assignment, actor):
    """Fill in what drafting needs."""
    return update_agreement(assignment, {"role": "Berättar om sin erfarenhet och svarar på frågor."}, actor=actor)
