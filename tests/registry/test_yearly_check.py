from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from registry import checks
from registry.enums import ResourceStatus
from registry.models import ExperienceResource, YearlyCheck
from registry.tasks import purge_departed, send_yearly_checks
from tests.factories import ExperienceResourceFactory


def joined_long_ago(**kwargs):
    resource = ExperienceResourceFactory(**kwargs)
    ExperienceResource.objects.filter(pk=resource.pk).update(created_at=timezone.now() - timedelta(days=400))
    return resource


def link_token(message) -> str:
    return message.body.split("/fortfarande-med/")[1].split("/")[0]


def test_yearly_check_run_twice_sends_once(db, django_capture_on_commit_callbacks):
    due = joined_long_ago()
    joined_long_ago(status=ResourceStatus.LEFT)
    ExperienceResourceFactory()  # joined recently: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert send_yearly_checks() == 1
        assert send_yearly_checks() == 0
    assert [m.to for m in mail.outbox] == [[due.email]]
    assert YearlyCheck.objects.get().resource == due


@pytest.mark.parametrize(
    ("answer", "status", "leave_requested"),
    [("staying", ResourceStatus.ACTIVE, False), ("pause", ResourceStatus.PAUSED, False), ("leave", ResourceStatus.ACTIVE, True)],
)
def test_one_click_answer(client, db, django_capture_on_commit_callbacks, answer, status, leave_requested):
    resource = joined_long_ago()
    with django_capture_on_commit_callbacks(execute=True):
        send_yearly_checks()
    url = f"/fortfarande-med/{link_token(mail.outbox[0])}/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": answer})

    assert "Tack för ditt svar!" in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == status
    assert (resource.leave_requested_at is not None) == leave_requested
    # The link works once.
    again = client.post(url, {"answer": "leave" if answer != "leave" else "staying"})
    assert "Du har redan svarat" in again.content.decode()
    assert YearlyCheck.objects.get().answer == answer


def test_forged_link_changes_nothing(client, db):
    joined_long_ago()
    checks.send_yearly_checks()
    response = client.post("/fortfarande-med/bad-token/", {"answer": "leave"})
    assert response.status_code == 400
    assert YearlyCheck.objects.get().answered_at is None


def test_unanswered_check_lands_on_the_follow_up_list(client, coordinator, login, settings):
    resource = joined_long_ago(first_name="Tyst")
    checks.send_yearly_checks()
    YearlyCheck.objects.update(sent_at=timezone.now() - timedelta(days=settings.YEARLY_CHECK_ANSWER_DAYS + 1))
    login(client, coordinator)
    page = client.get("/samordning/").content.decode()
    assert resource.full_name in page


def test_people_who_left_are_purged_after_the_retention_period(db, settings, coordinator):
    from registry.services import set_resource_status

    old = ExperienceResourceFactory(first_name="Gammal")
    set_resource_status(old, ResourceStatus.LEFT, actor=coordinator, reason="Flyttade")
    ExperienceResource.objects.filter(pk=old.pk).update(
        left_at=timezone.now() - timedelta(days=settings.RETENTION_DAYS_AFTER_LEAVING + 1)
    )
    recent = ExperienceResourceFactory(first_name="Nyss")
    set_resource_status(recent, ResourceStatus.LEFT, actor=coordinator, reason="Flyttade")

    assert purge_departed() == 1
    assert purge_departed() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.first_name == "Borttagen"
    assert recent.first_name == "Nyss"


def test_sweeps_are_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"registry.tasks.send_yearly_checks", "registry.tasks.purge_departed"} <= tasks
