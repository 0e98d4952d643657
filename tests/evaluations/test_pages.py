"""The evaluations on the unit's request page and the assignment pages, list query counts, and the admin."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments import hooks
from evaluations import panels, services
from evaluations.admin import QuestionSetAdmin
from evaluations.enums import Respondent
from evaluations.models import QuestionSet
from registry.models import ExperienceResource
from requests_app.enums import RequestStatus
from tests.evaluations.factories import evaluated
from tests.factories import request_at


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_unit_answers_from_its_request_page(client, login, unit, unit_staff):
    req = request_at(RequestStatus.COMPLETED, unit=unit, created_by=unit_staff)
    _, unit_eval, resource_eval = evaluated(request=req)
    login(client, unit_staff)

    page = client.get(f"/verksamhet/forfragningar/{req.pk}/").content.decode()

    assert f"/verksamhet/utvarderingar/{unit_eval.pk}/" in page
    assert f"/mina-sidor/utvarderingar/{resource_eval.pk}/" not in page  # the person's is not the unit's


def test_the_assignment_pages_show_the_evaluations_to_each_party(rf, coordinator, resource_user):
    me = ExperienceResource.objects.get(user=resource_user)
    assignment, unit_eval, resource_eval = evaluated(resource=me)
    services.submit(unit_eval, answers={"overall": 5, "led_to": "Nya rutiner för samtal"}, quote_allowed=True, via="link")
    request = rf.get("/")

    request.user = resource_user
    # Compensation adds panels to the same pages; these are evaluations' own.
    assert panels.resource_assignment_panel in hooks.RESOURCE_ASSIGNMENT_PAGE
    assert panels.unit_assignment_panel in hooks.UNIT_ASSIGNMENT_PAGE
    assert panels.coordinator_assignment_panel in hooks.ASSIGNMENT_PAGE
    (person,) = hooks.render_panels([panels.resource_assignment_panel], request, assignment)
    assert f"/mina-sidor/utvarderingar/{resource_eval.pk}/" in person
    assert "Nya rutiner för samtal" in person
    (unit,) = hooks.render_panels([panels.unit_assignment_panel], request, assignment)
    assert f"{unit_eval.assignment.reference}: besvarad. Tack!" in unit
    request.user = coordinator
    (both,) = hooks.render_panels([panels.coordinator_assignment_panel], request, assignment)
    assert f"/samordning/uppfoljning/utvarderingar/{unit_eval.pk}/" in both
    assert f"/samordning/uppfoljning/utvarderingar/{resource_eval.pk}/" in both


def test_the_persons_list_query_count_is_the_same_for_one_and_many_rows(client, login, resource_user):
    me = ExperienceResource.objects.get(user=resource_user)

    def one_more():
        _, unit_eval, _ = evaluated(resource=me)
        services.submit(unit_eval, answers={"led_to": "Det ledde till något"}, quote_allowed=False, via="link")

    login(client, resource_user)
    one_more()
    assert count_queries(client, "/mina-sidor/utvarderingar/") == 5
    for _ in range(4):
        one_more()
    assert count_queries(client, "/mina-sidor/utvarderingar/") == 5


def test_the_units_list_query_count_is_the_same_for_one_and_many_rows(client, login, unit, unit_staff):
    login(client, unit_staff)
    evaluated(request__unit=unit)
    assert count_queries(client, "/verksamhet/utvarderingar/") == 4
    for _ in range(4):
        evaluated(request__unit=unit)
    assert count_queries(client, "/verksamhet/utvarderingar/") == 4


@pytest.fixture
def admin_request(rf, administrator):
    request = rf.post("/")
    request.user = administrator
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    return request


def test_an_administrator_copies_a_sent_version_and_publishes_the_copy(admin_request):
    evaluated()  # version 1 has been sent: it is frozen
    model_admin = QuestionSetAdmin(QuestionSet, site)
    v1 = QuestionSet.objects.get(respondent=Respondent.UNIT, version=1)
    assert model_admin.inlines[0](QuestionSet, site).has_change_permission(admin_request, v1) is False

    model_admin.copy_as_new_version(admin_request, QuestionSet.objects.filter(pk=v1.pk))
    v2 = QuestionSet.objects.get(respondent=Respondent.UNIT, version=2)
    assert v2.published_at is None
    assert list(v2.questions.values_list("key", flat=True)) == list(v1.questions.values_list("key", flat=True))
    assert services.current_question_set(Respondent.UNIT) == v1

    model_admin.publish(admin_request, QuestionSet.objects.filter(pk=v2.pk))
    assert services.current_question_set(Respondent.UNIT) == v2
    _, later, _ = evaluated()
    assert later.question_set == v2
