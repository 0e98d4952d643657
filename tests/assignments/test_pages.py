"""The pages: scoping of every URL, the drafting and signing forms, the list and its query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from assignments.enums import AssignmentStatus, CompletionStatus
from assignments.models import Agreement, CompletionReport, Signature
from assignments.services import current_agreement, update_agreement
from assignments.urls import urlpatterns
from notifications.models import OutboundEmail
from tests.assignments.conftest import make_chosen
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.assignments.factories_documents import signed_agreement, use_test_seal
from tests.assignments.helpers import last_code, sign_as, to_signed, to_signing
from tests.factories import CareUnitFactory, Role, UserFactory

ID_URLS = [p for p in urlpatterns if isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern)]


def _url(pattern: URLPattern, assignment) -> str:
    kwargs = {"pk": assignment.pk}
    if "session_pk" in str(pattern.pattern):
        kwargs["session_pk"] = assignment.sessions.first().pk
    return reverse(f"assignments:{pattern.name}", kwargs=kwargs)


@pytest.fixture
def theirs(coordinator):
    """Another unit's assignment with another person: nothing of it may be reachable."""
    other_unit = CareUnitFactory(name="Hjärtmottagningen")
    other_staff = UserFactory(roles=[Role.UNIT_STAFF])
    other_unit.staff.add(other_staff)
    assignment = make_chosen(coordinator, other_unit, other_staff, title="Hemligt uppdrag")
    to_signing(assignment, other_staff)
    return assignment


@pytest.mark.parametrize("pattern", [p for p in ID_URLS if p.name.startswith("unit_")], ids=lambda p: p.name)
def test_unit_urls_give_404_for_another_units_assignment(client, login, unit_staff, chosen, theirs, pattern):
    login(client, unit_staff)
    assert client.get(_url(pattern, theirs)).status_code in (404, 405)
    assert client.post(_url(pattern, theirs), {"reason": "x", "version": 1}).status_code == 404
    assert theirs.status == AssignmentStatus.SIGNING
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.SIGNING


@pytest.mark.parametrize("pattern", [p for p in ID_URLS if p.name.startswith("own_")], ids=lambda p: p.name)
def test_own_urls_give_404_for_another_persons_assignment(client, login, resource_user, chosen, theirs, pattern):
    login(client, resource_user)
    assert client.get(_url(pattern, theirs)).status_code in (404, 405)
    assert client.post(_url(pattern, theirs), {"reason": "x", "version": 1}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.SIGNING


@pytest.mark.parametrize("pattern", [p for p in ID_URLS if not p.name.startswith(("unit_", "own_"))], ids=lambda p: p.name)
@pytest.mark.parametrize("who", ["unit_staff", "resource", "finance", "outsider"])
def test_coordinator_urls_are_for_coordinators_only(client, login, personas, theirs, pattern, who):
    login(client, personas[who])
    assert client.get(_url(pattern, theirs)).status_code in (403, 405)
    assert client.post(_url(pattern, theirs), {"reason": "x", "version": 1}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.SIGNING


@pytest.mark.parametrize("name", ["unit_session_edit", "coordinator_session_edit"])
def test_a_session_of_another_assignment_is_404(client, login, coordinator, unit_staff, chosen, theirs, name):
    login(client, unit_staff if name.startswith("unit") else coordinator)
    url = reverse(f"assignments:{name}", kwargs={"pk": chosen.pk, "session_pk": theirs.sessions.first().pk})
    assert client.get(url).status_code == 404


def test_list_pages_are_scoped(client, login, resource_user, unit_staff, coordinator, chosen, theirs):
    login(client, resource_user)
    text = client.get("/mina-sidor/uppdrag/").content.decode()
    assert chosen.title in text
    assert "Hemligt uppdrag" not in text
    login(client, unit_staff)
    text = client.get(f"/verksamhet/forfragningar/{chosen.request_id}/").content.decode()
    assert chosen.reference in text
    assert theirs.reference not in text
    assert client.get("/samordning/uppdrag/").status_code == 403
    login(client, coordinator)
    text = client.get("/samordning/uppdrag/").content.decode()
    assert chosen.reference in text and theirs.reference in text


def test_unit_drafts_the_agreement_with_errors_beside_the_field(client, login, unit_staff, chosen):
    login(client, unit_staff)
    page = client.get(f"/verksamhet/uppdrag/{chosen.pk}/").content.decode()
    assert "Beskriv erfarenhetsresursens roll." in page  # what is missing before sending
    data = {
        "title": chosen.title,
        "description": "",
        "purpose": "Nya sjuksköterskor ska förstå hur det är att leva med diabetes.",
        "role": "",
        "preparation": "",
        "preparation_hours": "1.0",
        "contact_name": chosen.contact_name,
        "contact_email": chosen.contact_email,
        "contact_phone": "",
        "share_email": "on",
        "version": chosen.version,
    }
    response = client.post(f"/verksamhet/uppdrag/{chosen.pk}/overenskommelse/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'aria-invalid="true"' in text
    assert "Nya sjuksköterskor ska förstå" in text  # what was typed is kept
    response = client.post(
        f"/verksamhet/uppdrag/{chosen.pk}/overenskommelse/", {**data, "role": "Berättar och svarar på frågor."}
    )
    assert response.status_code == 302
    response = client.post(f"/verksamhet/uppdrag/{chosen.pk}/skicka/", {"version": chosen.version + 1})
    assert response.status_code == 302
    chosen.refresh_from_db()
    assert chosen.status == AssignmentStatus.SIGNING
    assert current_agreement(chosen).content["what"]["role"] == "Berättar och svarar på frågor."


def test_a_stale_form_answers_409(client, login, unit_staff, chosen):
    login(client, unit_staff)
    update_agreement(chosen, {"role": "Någon annan skrev"}, actor=unit_staff)
    response = client.post(
        f"/verksamhet/uppdrag/{chosen.pk}/overenskommelse/",
        {
            "title": chosen.title,
            "role": "Jag skrev",
            "preparation_hours": "0",
            "contact_name": "K",
            "contact_email": "k@regionexempel.se",
            "version": chosen.version,
        },
    )
    assert response.status_code == 409
    assert "Någon annan ändrade uppdraget" in response.content.decode()


def test_session_form_needs_an_address_on_site(client, login, coordinator, chosen):
    login(client, coordinator)
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    url = f"/samordning/uppdrag/{chosen.pk}/tillfallen/ny/"
    response = client.post(url, {"date": day, "starts_at": "13:00", "ends_at": "15:00", "mode": "on_site", "version": 1})
    assert response.status_code == 400
    assert "Skriv adressen till platsen." in response.content.decode()
    response = client.post(
        url, {"date": day, "starts_at": "13:00", "ends_at": "15:00", "mode": "digital", "link": "https://mote.example/x"}
    )
    assert response.status_code == 302
    assert chosen.sessions.count() == 2


def test_person_signs_in_the_browser_flow_and_a_changed_version_answers_409(client, login, resource_user, unit_staff, chosen):
    to_signing(chosen, unit_staff)
    login(client, resource_user)
    page = client.get(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jag har läst och godkänner överenskommelsen" in text
    assert "Personuppgifter" in text
    client.post(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/kod/")
    code = last_code(resource_user.email)
    shown = current_agreement(chosen)
    form = {"agreement": shown.pk, "content_hash": shown.content_hash, "code": code}
    # Without the tick: refused, the error beside the box.
    response = client.post(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/", form)
    assert response.status_code == 400
    assert "Kryssa i att du har läst" in response.content.decode()
    # The unit changes the agreement meanwhile: 409, and the page shows the new version.
    update_agreement(chosen, {"preparation": "Läs materialet, en timme."}, actor=unit_staff)
    response = client.post(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/", {**form, "approve": "on"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Läs materialet, en timme." in text
    assert "version 2" in text
    assert Signature.objects.count() == 0
    # Signing the current one, twice (a double click): one signature.
    client.post(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/kod/")
    current = current_agreement(chosen)
    form = {
        "agreement": current.pk,
        "content_hash": current.content_hash,
        "code": last_code(resource_user.email),
        "approve": "on",
    }
    assert client.post(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/", form, REMOTE_ADDR="10.1.2.3").status_code == 302
    assert client.post(f"/mina-sidor/uppdrag/{chosen.pk}/underteckna/", form).status_code == 302
    (signature,) = Signature.objects.all()
    assert signature.ip_address == "10.1.2.3"
    assert signature.agreement == current


def test_the_person_signs_from_the_link_in_the_mail(client, login, resource_user, unit_staff, chosen, settings):
    to_signing(chosen, unit_staff)
    (mail,) = OutboundEmail.objects.filter(key__startswith="assignments.please_sign:", to=resource_user.email)
    link = f"{settings.SITE_URL}/mina-sidor/uppdrag/{chosen.pk}/"
    assert link in mail.body_text
    login(client, resource_user)
    text = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert f'href="/mina-sidor/uppdrag/{chosen.pk}/underteckna/"' in text


def test_the_units_request_page_shows_each_assignment_and_its_next_step(
    client, login, unit_staff, resource_user, coordinator, chosen, settings, django_capture_on_commit_callbacks
):
    use_test_seal(settings)
    login(client, unit_staff)
    url = f"/verksamhet/forfragningar/{chosen.request_id}/"

    def page():
        return client.get(url).content.decode()

    text = page()
    assert "Skriv överenskommelsen" in text and "Överenskommelse skrivs" in text
    to_signing(chosen, unit_staff)
    text = page()
    assert f'href="/verksamhet/uppdrag/{chosen.pk}/underteckna/"' in text and "Väntar på underskrift" in text
    sign_as(chosen, unit_staff)
    text = page()
    assert "Ni har skrivit under. Vi väntar på erfarenhetsresursen." in text
    assert "/underteckna/" not in text
    with django_capture_on_commit_callbacks(execute=True):
        sign_as(chosen, resource_user)  # the PDF is made after the last signature commits
    text = page()
    agreement = current_agreement(chosen)
    assert f'href="/uppdrag/overenskommelser/{agreement.pk}/pdf/"' in text
    assert f'href="/verksamhet/uppdrag/{chosen.pk}/rapport/"' in text and "Underskriven" in text
    assert chosen.reference in text


def test_the_unit_reports_and_the_person_confirms(client, login, resource_user, unit_staff, coordinator, chosen, settings):
    to_signed(chosen, unit_staff, resource_user, coordinator)
    session = chosen.sessions.get()
    login(client, unit_staff)
    url = f"/verksamhet/uppdrag/{chosen.pk}/rapport/"
    form = client.get(url)
    assert form.status_code == 200
    for choice in (
        "Genomfört som överenskommet",
        "Genomfört, men tog annan tid",
        f"Inställt sent, inom {settings.LATE_CANCELLATION_HOURS} timmar före (arvode betalas ändå)",
        "Inställt i tid",
        "Personen kom inte",
    ):
        assert choice in form.content.decode()
    response = client.post(url, {f"outcome_{session.pk}": "other_length", "version": chosen.version})
    assert response.status_code == 400
    assert "Skriv hur många timmar det tog." in response.content.decode()
    response = client.post(url, {f"outcome_{session.pk}": "other_length", f"hours_{session.pk}": "2.5"})
    assert response.status_code == 302
    login(client, resource_user)
    assert "Stämmer verksamhetens rapport?" in client.get(f"/mina-sidor/uppdrag/{chosen.pk}/").content.decode()
    assert client.post(f"/mina-sidor/uppdrag/{chosen.pk}/bekrafta/").status_code == 302
    chosen.refresh_from_db()
    assert chosen.status == AssignmentStatus.DONE


def test_the_person_can_cancel_with_a_reason(client, login, resource_user, unit_staff, chosen):
    login(client, resource_user)
    response = client.post(f"/mina-sidor/uppdrag/{chosen.pk}/stall-in/", {"reason": "", "version": chosen.version})
    assert response.status_code == 400
    assert "Skriv varför uppdraget ställs in." in response.content.decode()
    response = client.post(f"/mina-sidor/uppdrag/{chosen.pk}/stall-in/", {"reason": "Jag blev sjuk", "version": chosen.version})
    assert response.status_code == 302
    chosen.refresh_from_db()
    assert (chosen.status, chosen.cancelled_by) == (AssignmentStatus.CANCELLED, "resource")


def test_coordinator_page_has_a_timeline_and_the_panels(client, login, coordinator, unit_staff, chosen):
    to_signing(chosen, unit_staff)
    login(client, coordinator)
    text = client.get(f"/samordning/uppdrag/{chosen.pk}/").content.decode()
    assert "Uppdraget skapades när valet bekräftades" in text
    assert "Ny version av överenskommelsen" in text
    assert chosen.reference in client.get(f"/samordning/forfragningar/{chosen.request_id}/").content.decode()
    assert chosen.reference in client.get(f"/samordning/resurser/{chosen.resource_id}/").content.decode()


def test_list_filters(client, login, coordinator, chosen, theirs, settings):
    settings.AGREEMENT_REMINDER_DAYS = 3
    Agreement.objects.filter(assignment=theirs).update(sent_at=timezone.now() - timedelta(days=5))
    login(client, coordinator)
    text = client.get("/samordning/uppdrag/?overdue_signing=on").content.decode()
    assert theirs.reference in text and chosen.reference not in text
    text = client.get(f"/samordning/uppdrag/?unit={chosen.request.unit_id}").content.decode()
    assert chosen.reference in text and theirs.reference not in text
    text = client.get("/samordning/uppdrag/?status=signing").content.decode()
    assert theirs.reference in text and chosen.reference not in text
    far = (timezone.localdate() + timedelta(days=400)).isoformat()
    text = client.get(f"/samordning/uppdrag/?date_from={far}").content.decode()
    assert theirs.reference not in text and chosen.reference not in text
    text = client.get("/samordning/uppdrag/?overdue_report=on").content.decode()
    assert theirs.reference not in text and chosen.reference not in text
    session_day = chosen.sessions.get().date
    text = client.get(f"/samordning/uppdrag/?date_from={session_day}&date_to={session_day}").content.decode()
    assert chosen.reference in text


def test_list_date_range_asks_for_an_occasion_inside_it(client, login, coordinator, chosen, theirs):
    """"Från och med" and "till och med" together: an occasion between them, not one on or
    after the first and another on or before the second."""
    day = timezone.localdate() + timedelta(days=30)
    for assignment in (chosen, theirs):
        assignment.sessions.all().delete()
    SessionFactory(assignment=chosen, date=day - timedelta(days=10))
    SessionFactory(assignment=chosen, date=day + timedelta(days=10))
    SessionFactory(assignment=theirs, date=day)
    login(client, coordinator)
    url = "/samordning/uppdrag/?status=all&date_from={}&date_to={}"
    text = client.get(url.format(day - timedelta(days=1), day + timedelta(days=1))).content.decode()
    assert theirs.reference in text and chosen.reference not in text
    text = client.get(url.format(day - timedelta(days=10), day - timedelta(days=10))).content.decode()
    assert chosen.reference in text and theirs.reference not in text
    text = client.get(url.format(day + timedelta(days=10), "")).content.decode()  # from alone
    assert chosen.reference in text and theirs.reference not in text
    text = client.get(url.format("", day - timedelta(days=5))).content.decode()  # to alone
    assert chosen.reference in text and theirs.reference not in text


def test_list_filter_overdue_report(client, login, coordinator, unit_staff, resource_user, chosen, theirs, settings):
    settings.COMPLETION_OVERDUE_DAYS = 5
    to_signed(chosen, unit_staff, resource_user, coordinator)
    chosen.sessions.update(date=timezone.localdate() - timedelta(days=6))
    login(client, coordinator)
    text = client.get("/samordning/uppdrag/?overdue_report=on").content.decode()
    assert chosen.reference in text and theirs.reference not in text
    chosen.sessions.update(date=timezone.localdate() - timedelta(days=4))  # not yet overdue
    text = client.get("/samordning/uppdrag/?overdue_report=on").content.decode()
    assert chosen.reference not in text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count(client, login, coordinator, rows):
    for _ in range(rows):
        SessionFactory(assignment=AssignmentFactory(status=AssignmentStatus.SIGNING))
    login(client, coordinator)
    assert count_queries(client, "/samordning/uppdrag/?status=all") == 8


@pytest.mark.parametrize("rows", [1, 12])
def test_list_with_agreements_and_reports_runs_a_fixed_number_of_queries(client, login, coordinator, rows):
    """Each row shows its sessions, its live agreement (the version and the signatures counted)
    and its report: read for the whole page at once, not row by row."""
    for n in range(rows):
        agreement = signed_agreement(signed=n % 2 == 0)
        CompletionReport.objects.create(assignment=agreement.assignment, status=CompletionStatus.DISPUTED)
    login(client, coordinator)
    # 11: the live agreement is read with the rows (12 when it was read apart, 13 when signatures were fetched).
    assert count_queries(client, "/samordning/uppdrag/?status=all") == 8
    text = client.get("/samordning/uppdrag/?status=all").content.decode()
    assert text.count("v1: 2 av 2") == (rows + 1) // 2 and text.count("v1: 1 av 2") == rows // 2
    assert text.count("Underskriven<br>") == (rows + 1) // 2 and text.count("Väntar på underskrift<br>") == rows // 2
    assert text.count(str(CompletionStatus.DISPUTED.label)) == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_own_list_query_count(client, login, resource_user, rows):
    for _ in range(rows):
        SessionFactory(assignment=AssignmentFactory(resource=resource_user.experience_resource))
    login(client, resource_user)
    assert count_queries(client, "/mina-sidor/uppdrag/") == 6


def test_the_list_counts_exactly_up_to_the_bound_and_then_says_more_than(client, login, coordinator, monkeypatch):
    from config.bounded_paginator import BoundedPaginator

    monkeypatch.setattr(BoundedPaginator, "limit", 2)
    AssignmentFactory.create_batch(2, status=AssignmentStatus.DONE)
    login(client, coordinator)
    assert "<caption>2 uppdrag</caption>" in client.get("/samordning/uppdrag/?status=done").content.decode()
    AssignmentFactory(status=AssignmentStatus.DONE)
    assert "<caption>Fler än 2 uppdrag." in client.get("/samordning/uppdrag/?status=done").content.decode()


def test_the_lists_count_is_kept_until_an_assignment_or_a_session_changes(client, login, coordinator, unit_staff, chosen):
    """Each filter's count is counted once and kept for the views after it (config.kept_counts);
    a status or a session saved through Django forgets it."""
    login(client, coordinator)
    client.get("/samordning/uppdrag/")  # the session's first writes after signing in
    url = "/samordning/uppdrag/?status=signing"
    first = count_queries(client, url)
    assert count_queries(client, url) == first - 1  # the count is kept
    assert "<caption>0 uppdrag</caption>" in client.get(url).content.decode()
    to_signing(chosen, unit_staff)  # the status saved: the kept count is forgotten
    first = count_queries(client, url)
    text = client.get(url).content.decode()
    assert "<caption>1 uppdrag</caption>" in text and chosen.reference in text
    assert count_queries(client, url) == first - 1  # counted again once, then kept

    later = (chosen.sessions.get().date + timedelta(days=30)).isoformat()
    url = f"/samordning/uppdrag/?status=all&date_from={later}"
    assert "<caption>0 uppdrag</caption>" in client.get(url).content.decode()
    SessionFactory(assignment=chosen, date=chosen.sessions.get().date + timedelta(days=40))  # a session added: forgotten
    assert "<caption>1 uppdrag</caption>" in client.get(url).content.decode()


def test_the_overdue_filters_compare_with_the_clock_and_are_counted_on_every_view(client, login, coordinator, chosen):
    login(client, coordinator)
    client.get("/samordning/uppdrag/?status=all")  # the session's first writes after signing in
    for url in ("/samordning/uppdrag/?overdue_signing=on", "/samordning/uppdrag/?overdue_report=on"):
        assert count_queries(client, url) == count_queries(client, url)
    # An unticked box is no choice: the plain list's count is kept.
    url = "/samordning/uppdrag/?status=active"
    assert count_queries(client, url) == count_queries(client, url) + 1
