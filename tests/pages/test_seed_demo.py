from django.core.management import call_command

from accounts.enums import Role
from accounts.models import User
from assignments.enums import AssignmentStatus
from assignments.models import Assignment
from notifications.models import OutboundEmail
from registry.models import ExperienceResource
from requests_app.enums import RequestStatus
from requests_app.models import CareUnit, UnitRequest


def test_seed_demo_creates_one_user_per_role_once(db, capsys):
    call_command("seed_demo", "--if-empty")
    call_command("seed_demo", "--if-empty")

    out = capsys.readouterr().out
    assert "samordnare@regionexempel.se" in out
    for role in Role:
        assert User.objects.filter(role_grants__role=role).count() == 1
    assert ExperienceResource.objects.count() == 36
    assert CareUnit.objects.count() == 6
    assert all(u.cost_centre for u in CareUnit.objects.all())
    # Requests in several stages, with gapless references and no demo e-mail left to send.
    statuses = set(UnitRequest.objects.values_list("status", flat=True))
    assert {RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.IN_TRIAGE, RequestStatus.NEEDS_INFO} <= statuses
    # The ready request went on to matching: three asked, one said yes, the demo person waits.
    matching = UnitRequest.objects.get(status=RequestStatus.MATCHING)
    assert sorted(matching.inquiries.values_list("status", flat=True)) == ["sent", "sent", "yes"]
    assert matching.inquiries.filter(resource__email="resurs@exempel.se", status="sent").count() == 1
    references = sorted(UnitRequest.objects.exclude(reference=None).values_list("reference", flat=True))
    assert [r.rsplit("-", 1)[1] for r in references] == [f"{n:04d}" for n in range(1, len(references) + 1)]
    assert UnitRequest.objects.filter(unit__staff__email="verksamhet@regionexempel.se").count() >= 2
    assert not OutboundEmail.objects.exists()
    # An assignment out for signing, so the signing flow can be tried at once.
    assignment = Assignment.objects.get()
    assert assignment.status == AssignmentStatus.SIGNING
    assert assignment.resource.email == "resurs@exempel.se"
    assert assignment.agreements.get().version == 1


def test_seed_demo_refuses_production(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_hands_nothing_to_the_broker(db, monkeypatch, caplog):
    """On the first `make run` the worker and its broker folders do not exist yet: the seed
    must not try to publish (it logged "Broker unavailable" once per demo mail)."""
    from notifications import services

    published = []
    monkeypatch.setattr(services, "enqueue", published.append)
    with caplog.at_level("WARNING"):
        call_command("seed_demo", "--if-empty")
    assert published == []
    assert "Broker unavailable" not in caplog.text


def test_mail_outside_the_seed_is_still_handed_to_the_broker(db, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import services

    published = []
    monkeypatch.setattr(services, "enqueue", published.append)
    with django_capture_on_commit_callbacks(execute=True):
        email = services.queue_email(key="k1", to="a@exempel.se", template="notifications/email/test_message", context={})
    assert published == [email.pk]
