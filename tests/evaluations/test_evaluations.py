"""Evaluations from start to end: sent when done, answered once by link or own page, reminded once, closed."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing
from django.utils import timezone

from accounts.models import AuditEntry
from evaluations import services
from evaluations.enums import Respondent
from evaluations.models import Answer, Evaluation, Question, QuestionSet
from evaluations.panels import resource_assignment_panel
from evaluations.tasks import sweep_evaluations
from notifications.models import OutboundEmail
from registry.models import ExperienceResource
from tests.evaluations.factories import done_assignment, evaluated, finish

RESOURCE_ANSWERS = {
    "q_overall": "2",
    "q_treatment": "4",
    "q_support": "5",
    "q_heard": "yes",
    "q_more": "no",
    "q_comment": "Bra samtal, men för lite tid.",
    "quote_allowed": "on",
}
UNIT_ANSWERS = {
    "q_overall": "5",
    "q_benefit": "4",
    "q_changed": "yes",
    "q_led_to": "Vi har skrivit om välkomstbrevet till nya patienter.",
}


def link_path(evaluation: Evaluation) -> str:
    """The answer link exactly as it stands in the mail."""
    body = OutboundEmail.objects.get(key=f"evaluations.sent:{evaluation.pk}").body_text
    return "/utvardering/" + body.split("/utvardering/")[1].split("/")[0] + "/"


def answers_of(evaluation) -> dict:
    return {a.question.key: (a.rating, a.choice, a.text) for a in Answer.objects.filter(evaluation=evaluation)}


@pytest.fixture
def world(db):
    assignment, unit_eval, resource_eval = evaluated()
    return assignment, unit_eval, resource_eval


# --- sending ---------------------------------------------------------------------------------


def test_a_done_assignment_sends_one_evaluation_each_to_the_unit_and_the_person(db):
    assignment = done_assignment()
    finish(assignment)
    finish(assignment)  # the signal twice (a retry): still one each

    evaluations = Evaluation.objects.filter(assignment=assignment).order_by("respondent")
    assert [e.respondent for e in evaluations] == [Respondent.RESOURCE, Respondent.UNIT]
    sent = OutboundEmail.objects.filter(key__startswith="evaluations.sent:").order_by("to")
    assert sorted(m.to for m in sent) == sorted([assignment.resource.email, "karin.kontakt@regionexempel.se"])
    unit_eval = evaluations.get(respondent=Respondent.UNIT)
    assert unit_eval.closes_at - unit_eval.sent_at == timedelta(days=settings.EVALUATION_CLOSE_DAYS)
    assert unit_eval.question_set.version == 1
    assert AuditEntry.objects.filter(action="evaluations.evaluation.sent").count() == 2


def test_an_assignment_not_done_gets_no_evaluation(db):
    assignment = done_assignment(status="signed", done_at=None)
    finish(assignment)
    assert Evaluation.objects.count() == 0


def test_the_default_questions_follow_kalmar(db):
    person = QuestionSet.objects.get(respondent=Respondent.RESOURCE, version=1)
    unit = QuestionSet.objects.get(respondent=Respondent.UNIT, version=1)
    assert list(person.questions.values_list("key", flat=True)) == ["overall", "treatment", "support", "heard", "more", "comment"]
    assert list(unit.questions.values_list("key", flat=True)) == ["overall", "benefit", "changed", "led_to", "comment"]
    assert list(Question.objects.filter(shown_to_resource=True).values_list("key", flat=True)) == ["led_to"]


def test_a_new_published_version_is_used_for_new_evaluations_and_old_ones_keep_theirs(world):
    _, unit_eval, _ = world
    v2 = QuestionSet.objects.create(respondent=Respondent.UNIT, version=2, published_at=timezone.now())
    Question.objects.create(question_set=v2, key="overall", text="Helhetsintryck?", kind="rating", order=1)
    _, later_unit_eval, _ = evaluated()
    unit_eval.refresh_from_db()
    assert (unit_eval.question_set.version, later_unit_eval.question_set.version) == (1, 2)


# --- answering by link -----------------------------------------------------------------------


def test_the_person_answers_from_the_link_without_signing_in(client, world):
    _, _, resource_eval = world
    url = link_path(resource_eval)

    page = client.get(url)
    assert page.status_code == 200
    assert "Fick du komma till tals?" in page.content.decode()

    response = client.post(url, RESOURCE_ANSWERS)

    assert response.status_code == 200
    assert "Tack för dina svar!" in response.content.decode()
    resource_eval.refresh_from_db()
    assert resource_eval.submitted_at is not None
    assert resource_eval.quote_allowed is True
    assert answers_of(resource_eval) == {
        "overall": (2, None, ""),
        "treatment": (4, None, ""),
        "support": (5, None, ""),
        "heard": (None, True, ""),
        "more": (None, False, ""),
        "comment": (None, None, "Bra samtal, men för lite tid."),
    }
    entry = AuditEntry.objects.get(action="evaluations.evaluation.submitted")
    assert entry.data == {"respondent": "resource", "via": "link", "quote_allowed": True}


def test_a_second_answer_from_the_same_link_changes_nothing(client, world):
    _, _, resource_eval = world
    url = link_path(resource_eval)
    client.post(url, RESOURCE_ANSWERS)
    resource_eval.refresh_from_db()
    first = (resource_eval.submitted_at, answers_of(resource_eval))

    again = client.post(url, {**RESOURCE_ANSWERS, "q_overall": "5", "q_comment": "Ändrat"})
    opened = client.get(url)

    assert again.status_code == 409
    assert "redan besvarad" in again.content.decode()
    assert opened.status_code == 200
    assert "redan besvarad" in opened.content.decode()
    resource_eval.refresh_from_db()
    assert (resource_eval.submitted_at, answers_of(resource_eval)) == first
    assert AuditEntry.objects.filter(action="evaluations.evaluation.submitted").count() == 1


def test_a_double_click_stores_one_answer(world):
    _, _, resource_eval = world
    services.submit(resource_eval, answers={"overall": 4}, quote_allowed=False, via="link")
    with pytest.raises(services.EvaluationError):
        services.submit(resource_eval, answers={"overall": 1}, quote_allowed=True, via="link")
    assert answers_of(resource_eval) == {"overall": (4, None, "")}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        lambda token: "inte-en-riktig-lank",
    ],
)
def test_a_forged_link_gets_a_clear_message_and_changes_nothing(client, world, tamper):
    _, _, resource_eval = world
    token = link_path(resource_eval).split("/")[2]

    response = client.post(f"/utvardering/{tamper(token)}/", RESOURCE_ANSWERS)

    assert response.status_code == 400
    assert "Länken fungerar inte" in response.content.decode()
    resource_eval.refresh_from_db()
    assert resource_eval.submitted_at is None
    assert Answer.objects.count() == 0


def test_a_link_signed_for_another_evaluation_id_does_not_open_it(client, world):
    _, unit_eval, resource_eval = world
    forged = signing.dumps({"evaluation": unit_eval.pk, "nonce": resource_eval.nonce}, salt=services.SALT)
    response = client.post(f"/utvardering/{forged}/", UNIT_ANSWERS)
    assert response.status_code == 400
    assert Answer.objects.count() == 0


def test_an_expired_link_gets_a_clear_message_and_changes_nothing(client, world):
    _, _, resource_eval = world
    url = link_path(resource_eval)
    later = time.time() + (settings.EVALUATION_CLOSE_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(url, RESOURCE_ANSWERS)

    assert response.status_code == 400
    assert "för gammal" in response.content.decode()
    resource_eval.refresh_from_db()
    assert resource_eval.submitted_at is None
    assert Answer.objects.count() == 0


def test_a_closed_evaluation_cannot_be_answered(client, world):
    _, _, resource_eval = world
    url = link_path(resource_eval)
    Evaluation.objects.filter(pk=resource_eval.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    page = client.get(url)
    response = client.post(url, RESOURCE_ANSWERS)

    assert "Utvärderingen stängde" in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()
    assert response.status_code == 409
    assert Answer.objects.count() == 0


def test_a_missing_required_answer_is_shown_beside_the_field_and_nothing_typed_is_lost(client, world):
    _, _, resource_eval = world
    url = link_path(resource_eval)

    response = client.post(url, {**RESOURCE_ANSWERS, "q_overall": ""})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Välj ett betyg från 1 till 5." in html
    assert 'href="#id_q_overall_0"' in html
    assert "Bra samtal, men för lite tid." in html
    resource_eval.refresh_from_db()
    assert resource_eval.submitted_at is None


# --- reminders and the sweep -----------------------------------------------------------------


def test_one_reminder_even_when_the_sweep_runs_twice(world):
    _, unit_eval, resource_eval = world
    Evaluation.objects.update(sent_at=timezone.now() - timedelta(days=settings.EVALUATION_REMINDER_DAYS, hours=1))

    assert sweep_evaluations.apply().get() == {"created": 0, "reminded": 2}
    assert sweep_evaluations.apply().get() == {"created": 0, "reminded": 0}

    reminders = OutboundEmail.objects.filter(key__startswith="evaluations.reminder:")
    assert sorted(m.to for m in reminders) == sorted([unit_eval.recipient_email, resource_eval.recipient_email])
    assert Evaluation.objects.filter(reminded_at__isnull=True).count() == 0


def test_no_reminder_before_the_day_nor_after_an_answer_nor_when_closed(world):
    _, unit_eval, resource_eval = world
    assert services.send_reminders() == 0  # too early
    services.submit(unit_eval, answers={"overall": 5}, quote_allowed=False, via="link")
    Evaluation.objects.filter(pk=resource_eval.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    later = timezone.now() + timedelta(days=settings.EVALUATION_REMINDER_DAYS + 1)
    assert services.send_reminders(now=later) == 0
    assert OutboundEmail.objects.filter(key__startswith="evaluations.reminder:").count() == 0


def test_the_sweep_makes_the_evaluations_a_missed_signal_left_out(db):
    assignment = done_assignment()
    assert sweep_evaluations.apply().get() == {"created": 2, "reminded": 0}
    assert sweep_evaluations.apply().get() == {"created": 0, "reminded": 0}
    assert Evaluation.objects.filter(assignment=assignment).count() == 2


# --- own pages and the loop ------------------------------------------------------------------


@pytest.fixture
def mine(resource_user, unit, unit_staff):
    me = ExperienceResource.objects.get(user=resource_user)
    assignment, unit_eval, resource_eval = evaluated(resource=me, request__unit=unit)
    return assignment, unit_eval, resource_eval


def test_the_person_answers_on_mina_sidor(client, login, resource_user, mine):
    _, _, resource_eval = mine
    login(client, resource_user)
    listing = client.get("/mina-sidor/utvarderingar/")
    assert f"/mina-sidor/utvarderingar/{resource_eval.pk}/" in listing.content.decode()

    response = client.post(f"/mina-sidor/utvarderingar/{resource_eval.pk}/", RESOURCE_ANSWERS, follow=True)

    assert "Tack för dina svar!" in response.content.decode()
    assert "Bra samtal, men för lite tid." in response.content.decode()  # the answers, read back
    resource_eval.refresh_from_db()
    assert resource_eval.submitted_at is not None
    again = client.post(f"/mina-sidor/utvarderingar/{resource_eval.pk}/", {**RESOURCE_ANSWERS, "q_overall": "5"})
    assert again.status_code == 409
    assert answers_of(resource_eval)["overall"] == (2, None, "")


def test_what_the_unit_says_it_led_to_is_shown_to_the_person(client, login, unit_staff, resource_user, mine, rf):
    assignment, unit_eval, _ = mine
    login(client, unit_staff)
    response = client.post(f"/verksamhet/utvarderingar/{unit_eval.pk}/", UNIT_ANSWERS)
    assert response.status_code == 302
    client.logout()

    login(client, resource_user)
    page = client.get("/mina-sidor/utvarderingar/").content.decode()
    assert "Vi har skrivit om välkomstbrevet till nya patienter." in page

    request = rf.get("/")
    request.user = resource_user
    assert "Vi har skrivit om välkomstbrevet till nya patienter." in resource_assignment_panel(request, assignment)


def test_the_loop_shows_only_what_the_unit_answered_for_the_persons_own_assignments(client, login, resource_user, mine):
    _, other_unit_eval, _ = evaluated()
    services.submit(other_unit_eval, answers={"led_to": "Hemligt resultat för någon annan"}, quote_allowed=True, via="link")
    login(client, resource_user)
    page = client.get("/mina-sidor/utvarderingar/").content.decode()
    assert "Hemligt resultat för någon annan" not in page


def test_another_persons_or_units_evaluation_is_not_found(client, login, resource_user, unit_staff, mine):
    _, other_unit_eval, other_resource_eval = evaluated()
    login(client, resource_user)
    assert client.get(f"/mina-sidor/utvarderingar/{other_resource_eval.pk}/").status_code == 404
    assert client.post(f"/mina-sidor/utvarderingar/{other_resource_eval.pk}/", RESOURCE_ANSWERS).status_code == 404
    _, my_unit_eval, _ = mine
    assert client.get(f"/mina-sidor/utvarderingar/{my_unit_eval.pk}/").status_code == 404  # the unit's, not mine
    client.logout()
    login(client, unit_staff)
    assert client.get(f"/verksamhet/utvarderingar/{other_unit_eval.pk}/").status_code == 404
    assert client.post(f"/verksamhet/utvarderingar/{other_unit_eval.pk}/", UNIT_ANSWERS).status_code == 404
    assert Answer.objects.count() == 0


def test_the_pages_refuse_the_wrong_roles(client, login, outsider, mine):
    _, unit_eval, _ = mine
    login(client, outsider)
    assert client.get("/mina-sidor/utvarderingar/").status_code == 403
    assert client.get(f"/verksamhet/utvarderingar/{unit_eval.pk}/").status_code == 403
    assert client.get("/samordning/uppfoljning/").status_code == 403
