import re
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry
from registry.models import ExperienceArea
from requests_app import services
from requests_app.enums import NOT_BY_COORDINATOR, TRANSITIONS, RequestStatus
from requests_app.models import RequestMessage, UnitJoinRequest, UnitRequest
from tests.factories import CareUnitFactory, Role, UserFactory, submitted_request

BOARD = "/samordning/forfragningar/"


def detail(req) -> str:
    return f"/samordning/forfragningar/{req.pk}/"


@pytest.fixture
def req(unit, unit_staff):
    return submitted_request(unit=unit, created_by=unit_staff, title="Workshop om smärta")


@pytest.fixture
def colleague(db):
    return UserFactory(email="kollega@regionexempel.se", full_name="Kim Kollega", roles=[Role.COORDINATOR], mfa=True)


def at_status(req, status: str) -> UnitRequest:
    UnitRequest.objects.filter(pk=req.pk).update(status=status)
    req.refresh_from_db()
    return req


# --- transitions -----------------------------------------------------------------------

ALL_MOVES = [
    (current, target)
    for current, targets in TRANSITIONS.items()
    for target in targets
    if current != RequestStatus.DRAFT and target not in NOT_BY_COORDINATOR
]
NOT_BY_HAND = [
    (current, target) for current, targets in TRANSITIONS.items() for target in targets if target in NOT_BY_COORDINATOR
]


@pytest.mark.parametrize(("current", "target"), NOT_BY_HAND)
def test_a_coordinator_is_not_offered_and_cannot_set_what_matching_or_the_unit_sets(
    client, login, coordinator, req, current, target
):
    at_status(req, current)
    login(client, coordinator)
    page = client.get(detail(req)).content.decode()
    assert f'name="status" value="{target}"' not in page

    response = client.post(f"{detail(req)}status/", {"status": target, "version": req.version, "reason": "x"})

    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == current


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_every_allowed_transition_is_applied_logged_and_on_the_timeline(client, login, coordinator, req, current, target):
    at_status(req, current)
    login(client, coordinator)

    response = client.post(
        f"{detail(req)}status/", {"status": target, "version": req.version, "reason": "Saknar uppgift om datum"}
    )

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == target
    entry = AuditEntry.objects.get(action=f"requests.request.{target}", object_id=str(req.pk))
    assert entry.data["from"] == current
    labels = [item["label"] for item in client.get(detail(req)).context["timeline"]]
    assert RequestStatus(target).label in labels


ILLEGAL = [
    (current, target)
    for current in RequestStatus
    for target in RequestStatus
    if current != RequestStatus.DRAFT and target not in TRANSITIONS[current] and target != RequestStatus.DRAFT
]


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_clear_message(client, login, coordinator, req, current, target):
    at_status(req, current)
    login(client, coordinator)

    response = client.post(f"{detail(req)}status/", {"status": target, "version": req.version, "reason": "x"})

    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == current
    text = [str(m) for m in response.context["messages"]]
    assert len(text) == 1
    assert text[0].startswith(("Förfrågan kan inte gå från", "En förfrågan skickas in från"))


@pytest.mark.parametrize("target", [RequestStatus.DECLINED, RequestStatus.NEEDS_INFO])
def test_decline_and_asking_for_information_require_a_reason(coordinator, req, target):
    at_status(req, RequestStatus.IN_TRIAGE)
    with pytest.raises(services.RequestError, match="Skriv ett skäl"):
        services.set_request_status(req, target, actor=coordinator, reason="  ")
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_TRIAGE


def test_decline_mails_the_unit_the_reason(coordinator, req, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_request_status(req, RequestStatus.DECLINED, actor=coordinator, reason="Vi har ingen med den erfarenheten")
    to_unit = [m for m in mail.outbox if m.to == ["verksamhet@regionexempel.se"]]
    assert len(to_unit) == 1
    assert "Vi har ingen med den erfarenheten" in to_unit[0].body


def test_the_unit_may_only_withdraw(unit_staff, req):
    with pytest.raises(services.TransitionError):
        services.set_request_status(req, RequestStatus.IN_TRIAGE, actor=unit_staff, by_unit=True)
    services.set_request_status(req, RequestStatus.WITHDRAWN, actor=unit_staff, by_unit=True)
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN


# --- the concurrency rule --------------------------------------------------------------


def test_a_second_coordinator_on_a_stale_page_is_told_and_sees_the_current_state(client, login, coordinator, colleague, req):
    seen_version = req.version  # both open the page
    login(client, colleague)
    client.post(f"{detail(req)}status/", {"status": RequestStatus.IN_TRIAGE, "version": seen_version}, follow=True)
    login(client, coordinator)

    response = client.post(
        f"{detail(req)}status/", {"status": RequestStatus.DECLINED, "version": seen_version, "reason": "Dubblett"}
    )

    assert response.status_code == 409
    [message] = list(response.context["messages"])
    assert str(message).startswith("Någon annan ändrade förfrågan medan du hade sidan öppen.")
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_TRIAGE
    assert response.context["req"].status == RequestStatus.IN_TRIAGE  # the page shows what is true now
    assert f'name="version" value="{req.version}"' in response.content.decode()


def test_taking_responsibility_on_a_stale_page_is_refused(client, login, coordinator, colleague, req):
    seen_version = req.version
    services.assign(req, colleague, actor=colleague, expected_version=seen_version)
    login(client, coordinator)

    response = client.post(f"{detail(req)}ansvarig/", {"responsible": "me", "version": seen_version})

    assert response.status_code == 409
    req.refresh_from_db()
    assert req.responsible == colleague


# --- responsibility, notes and messages ------------------------------------------------


def test_take_responsibility_and_hand_over_to_a_colleague(
    client, login, coordinator, colleague, req, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    client.post(f"{detail(req)}ansvarig/", {"responsible": "me", "version": req.version})
    req.refresh_from_db()
    assert req.responsible == coordinator

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{detail(req)}ansvarig/", {"responsible": colleague.pk, "version": req.version})

    req.refresh_from_db()
    assert req.responsible == colleague
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert AuditEntry.objects.filter(action="requests.request.assigned", object_id=str(req.pk)).count() == 2


def test_only_coordinators_can_be_made_responsible(client, login, coordinator, unit_staff, req):
    login(client, coordinator)
    response = client.post(f"{detail(req)}ansvarig/", {"responsible": unit_staff.pk, "version": req.version})
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.responsible is None


def test_internal_notes_never_reach_the_unit(client, login, coordinator, unit_staff, req):
    login(client, coordinator)
    client.post(f"{detail(req)}anteckning/", {"body": "Ring Karin först, hon var osäker"})
    assert "Ring Karin först" in client.get(detail(req)).content.decode()

    login(client, unit_staff)
    page = client.get(f"/verksamhet/forfragningar/{req.pk}/").content.decode()
    assert "Ring Karin först" not in page
    assert "Intern anteckning" not in page


def test_asking_for_information_and_the_units_answer(
    client, login, coordinator, unit_staff, req, django_capture_on_commit_callbacks
):
    services.assign(req, coordinator, actor=coordinator)
    at_status(req, RequestStatus.IN_TRIAGE)
    login(client, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{detail(req)}status/",
            {"status": RequestStatus.NEEDS_INFO, "version": req.version, "reason": "Vilken dag passar?"},
        )
    assert [m.to for m in mail.outbox] == [["karin.vardsson@regionexempel.se"], ["verksamhet@regionexempel.se"]]
    assert "Vilken dag passar?" in mail.outbox[0].body

    login(client, unit_staff)
    page = client.get(f"/verksamhet/forfragningar/{req.pk}/").content.decode()
    assert "Vilken dag passar?" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/verksamhet/forfragningar/{req.pk}/meddelande/", {"body": "Tisdagen den 3:e"})

    req.refresh_from_db()
    assert req.status == RequestStatus.IN_TRIAGE  # back with the coordinators
    assert [m.to for m in mail.outbox] == [[coordinator.email]]  # the responsible coordinator
    assert "Tisdagen den 3:e" in mail.outbox[0].body
    assert list(req.messages.values_list("from_unit", "body")) == [
        (False, "Vilken dag passar?"),
        (True, "Tisdagen den 3:e"),
    ]


def test_a_message_from_the_coordinator_reaches_the_unit(client, login, coordinator, req, django_capture_on_commit_callbacks):
    login(client, coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{detail(req)}meddelande/", {"body": "Vi har två som kan."})
    assert RequestMessage.objects.get().body == "Vi har två som kan."
    assert sorted(m.to[0] for m in mail.outbox) == ["karin.vardsson@regionexempel.se", "verksamhet@regionexempel.se"]


def test_messages_without_a_responsible_go_to_the_shared_address(unit_staff, req, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(req, "En fråga", actor=unit_staff, from_unit=True)
    assert [m.to for m in mail.outbox] == [["levandebibliotek@regionexempel.se"]]


# --- the board -------------------------------------------------------------------------


@pytest.fixture
def board(unit, unit_staff, coordinator):
    other_unit = CareUnitFactory(name="Hjärtcentrum")
    diabetes = ExperienceArea.objects.get(slug="diabetes")
    old = submitted_request(unit=unit, created_by=unit_staff, title="Gammal", kind="research")
    UnitRequest.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    old.areas.set([diabetes])
    mine = submitted_request(unit=other_unit, title="Min", starts_on=timezone.localdate() + timedelta(days=90))
    services.assign(mine, coordinator, actor=coordinator)
    done = submitted_request(unit=unit, title="Klar")
    at_status(done, RequestStatus.DECLINED)
    return {"old": old, "mine": mine, "done": done, "other_unit": other_unit, "diabetes": diabetes}


def titles(response):
    return [r.title for r in response.context["requests"]]


def test_board_shows_open_requests_oldest_waiting_first(client, login, coordinator, board):
    login(client, coordinator)
    response = client.get(BOARD)
    assert titles(response) == ["Gammal", "Min"]
    assert response.context["summary"]["oldest_waiting_days"] == 20
    assert "Den som väntat längst har väntat 20 dagar." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "closed"}, ["Klar"]),
        ({"status": "declined"}, ["Klar"]),
        ({"unit": "@other_unit"}, ["Min"]),
        ({"kind": "research"}, ["Gammal"]),
        ({"area": "@diabetes"}, ["Gammal"]),
        ({"responsible": "me"}, ["Min"]),
        ({"responsible": "none"}, ["Gammal"]),
        ({"waiting": "14"}, ["Gammal"]),
        ({"wanted_from": "+60"}, ["Min"]),
        ({"q": "gammal"}, ["Gammal"]),
        ({"order": "-submitted"}, ["Min", "Gammal"]),
    ],
)
def test_board_filters(client, login, coordinator, board, query, expected):
    params = {}
    for key, value in query.items():
        if value.startswith("@"):
            value = board[value[1:]].pk
        elif value.startswith("+"):
            value = (timezone.localdate() + timedelta(days=int(value[1:]))).isoformat()
        params[key] = value
    login(client, coordinator)
    assert titles(client.get(BOARD, params)) == expected


def test_drafts_are_not_on_the_board(client, login, coordinator, unit):
    UnitRequest.objects.create(unit=unit, title="Utkast")
    login(client, coordinator)
    assert titles(client.get(BOARD)) == []
    draft = UnitRequest.objects.get()
    assert client.get(detail(draft)).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_board_runs_a_fixed_number_of_queries(client, login, coordinator, unit, rows):
    diabetes = ExperienceArea.objects.get(slug="diabetes")
    for _ in range(rows):
        r = submitted_request(unit=unit)
        r.areas.set([diabetes])
        services.assign(r, coordinator, actor=coordinator)
    login(client, coordinator)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(BOARD)
        assert response.status_code == 200
        assert len(response.context["requests"]) == rows
        counts.append(len(ctx.captured_queries))
    # The second time the figures at the top, the units' options, the taxonomies (3) and the
    # count of the list are kept.
    assert counts == [13, 7]


@pytest.mark.parametrize("who", ["unit_staff", "resource", "finance", "outsider"])
def test_only_coordinators_reach_the_triage(client, login, personas, req, who):
    login(client, personas[who])
    assert client.get(BOARD).status_code == 403
    assert client.get(detail(req)).status_code == 403
    assert client.post(f"{detail(req)}status/", {"status": "declined", "version": req.version, "reason": "x"}).status_code == 403
    assert client.post(f"{detail(req)}anteckning/", {"body": "x"}).status_code == 403
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED


def test_the_coordinators_start_page_shows_new_and_own_requests_and_units_waiting(client, login, coordinator, unit):
    new = submitted_request(unit=unit, title="Ny fokusgrupp")
    mine = submitted_request(unit=unit, title="Min workshop")
    services.assign(mine, coordinator, actor=coordinator)
    services.set_request_status(mine, RequestStatus.IN_TRIAGE, actor=coordinator)
    UnitJoinRequest.objects.create(name="Ny mottagning", organisation="Region Exempel", cost_centre="41230", user=UserFactory())
    login(client, coordinator)

    page = client.get("/samordning/").content.decode()

    assert f"{new.reference}</a> Ny fokusgrupp" in page
    assert "Förfrågningar du är ansvarig för" in page
    assert f"{mine.reference}</a> Min workshop – Under bedömning" in page
    assert "1 ansökan om ny verksamhet väntar på beslut" in page
    assert '<p class="card-stat mb-0">1</p><p class="mb-0"><a href="/samordning/forfragningar/?responsible=none">' in page


# --- refused forms keep what was typed -------------------------------------------------------


def test_a_decline_without_a_reason_says_so_beside_the_field(client, login, coordinator, req):
    at_status(req, RequestStatus.IN_TRIAGE)
    login(client, coordinator)

    response = client.post(f"{detail(req)}status/", {"status": RequestStatus.DECLINED, "reason": "   ", "version": req.version})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="reason-declined-error"' in page
    error = '<div class="invalid-feedback d-block mb-2" id="reason-declined-error">'
    assert error + "<strong>Skriv ett skäl. Verksamheten får läsa det.</strong>" in page
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_TRIAGE


def test_a_stale_status_change_keeps_the_reason_typed(client, login, coordinator, req):
    at_status(req, RequestStatus.IN_TRIAGE)
    login(client, coordinator)

    response = client.post(
        f"{detail(req)}status/",
        {"status": RequestStatus.DECLINED, "reason": "Vi har ingen med den erfarenheten", "version": req.version - 1},
    )

    assert response.status_code == 409
    assert 'name="reason" rows="2" required>Vi har ingen med den erfarenheten</textarea>' in response.content.decode()


@pytest.mark.parametrize(("path", "field_id"), [("anteckning/", "id_note_body"), ("meddelande/", "id_body")])
def test_a_note_or_message_too_long_comes_back_with_the_error_and_the_text(client, login, coordinator, req, path, field_id):
    login(client, coordinator)
    text = "Lång text. " * 500  # 5,500 characters, over the 5,000 allowed

    response = client.post(f"{detail(req)}{path}", {"body": text})

    assert response.status_code == 400
    page = response.content.decode()
    field = (
        page.split(f'id="div_{field_id}"')[1].split("</textarea>")[0]
        + page.split(f'id="div_{field_id}"')[1].split("</textarea>")[1][:400]
    )
    assert text.strip() in field
    assert 'aria-invalid="true"' in field
    assert "högst 5000 tecken" in field
    assert not req.notes.exists()
    assert not RequestMessage.objects.exists()


def test_asking_the_unit_is_one_message_with_a_tick(client, login, coordinator, req, django_capture_on_commit_callbacks):
    """One way to ask: the message form, ticked "waiting for the answer". No separate
    "needs information" button with a box of its own, so the question is written once."""
    at_status(req, RequestStatus.IN_TRIAGE)
    login(client, coordinator)
    page = client.get(detail(req)).content.decode()
    assert 'name="status" value="needs_info"' not in page
    assert 'name="ask_for_information"' in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{detail(req)}meddelande/", {"body": "Vilken dag passar?", "ask_for_information": "on"})

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.NEEDS_INFO
    assert list(req.messages.values_list("body", flat=True)) == ["Vilken dag passar?"]
    assert [m.to for m in mail.outbox] == [["karin.vardsson@regionexempel.se"], ["verksamhet@regionexempel.se"]]


def test_asking_with_an_empty_message_shows_the_error_beside_the_field(client, login, coordinator, req):
    at_status(req, RequestStatus.IN_TRIAGE)
    login(client, coordinator)

    response = client.post(f"{detail(req)}meddelande/", {"body": "  ", "ask_for_information": "on"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv ett meddelande." in page
    assert re.search(r'<input type="checkbox" name="ask_for_information"[^>]* checked', page)
    assert f'action="/samordning/forfragningar/{req.pk}/meddelande/" class="mt-3" novalidate' in page
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_TRIAGE


def test_each_reason_box_sits_in_its_own_action(client, login, coordinator, req):
    at_status(req, RequestStatus.IN_TRIAGE)
    login(client, coordinator)
    page = client.get(detail(req)).content.decode()
    declined = page.split('aria-labelledby="action-declined"')[1].split("</form>")[0]
    assert 'name="reason"' in declined
    assert 'value="declined"' in declined
    assert declined.count("<button") == 1


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_boards_dates_read_as_the_date_filter_writes_them(language):
    from datetime import date, datetime

    from django.template import Context, Template
    from django.utils import translation

    # 23:30 UTC is already the next day in Stockholm: both must show the local day.
    values = [datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2027, 3, 1), None]
    page = Template('{% load request_tags %}{% for v in values %}{{ v|long_date }}|{{ v|date:"j F Y" }};{% endfor %}')
    with translation.override(language):
        text = page.render(Context({"values": values}))
    pairs = [part.split("|") for part in text.split(";") if part]
    assert all(ours == django for ours, django in pairs)
    assert pairs[0][0] == ("1 januari 2027" if language == "sv" else "1 January 2027")


def test_the_board_counts_exactly_up_to_the_bound_and_then_says_more_than(client, login, coordinator, unit, monkeypatch):
    from config.bounded_paginator import BoundedPaginator

    monkeypatch.setattr(BoundedPaginator, "limit", 3)
    for n in range(3):
        submitted_request(unit=unit, title=f"Nummer {n}")
    login(client, coordinator)
    assert "<caption>3 förfrågningar</caption>" in client.get(BOARD).content.decode()
    submitted_request(unit=unit, title="Nummer 3")
    response = client.get(BOARD)
    assert "<caption>Fler än 3 förfrågningar." in response.content.decode()
    # The pages reach the first three in the board's order (the longest waiting), as the caption says.
    assert titles(response) == ["Nummer 0", "Nummer 1", "Nummer 2"]
