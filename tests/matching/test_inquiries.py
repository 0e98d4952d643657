"""Inquiries from start to end: sending, answering (link, own page, coordinator), the sweeps, the choice, closing."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.utils import formats, timezone, translation

from accounts.models import AuditEntry
from matching import services
from matching.enums import AnsweredVia, InquiryStatus
from matching.models import Conflict, Inquiry
from matching.tasks import sweep_inquiries
from notifications import links
from notifications.models import OutboundEmail
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from requests_app import services as request_services
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.factories import InquiryFactory, active_resource, request_at

FEE_TEXT = "arvode för halvdag enligt regionens ersättningsmodell"
SECRET_NOTE = "Hemligt: enhetschefen tror inte på projektet"


def shortlist_url(req) -> str:
    return f"/samordning/forfragningar/{req.pk}/matchning/"


def answers_url(req) -> str:
    return f"/samordning/forfragningar/{req.pk}/svar/"


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


def form_deadline(days: int = 5) -> str:
    return timezone.localtime(in_days(days)).strftime("%Y-%m-%dT%H:%M")


def mails(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=f"matching/email/{template}").order_by("pk"))


def recipients(template: str) -> list[str]:
    return sorted(m.to for m in mails(template))


def token_in(body: str) -> str:
    """The token in the link as the person gets it: the stored mail holds a placeholder that
    becomes the token when the mail is sent (notifications.links)."""
    return links.fill(body).split("/svara/")[1].split("/")[0]


def link_of(inquiry: Inquiry) -> str:
    """The answer link exactly as the person got it in the inquiry mail."""
    message = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}")
    return f"/svara/{token_in(message.body_text)}/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def req(unit, unit_staff):
    return request_at(RequestStatus.READY, unit=unit, created_by=unit_staff, title="Workshop om smärta", duration="half_day")


@pytest.fixture
def bo(db):
    return active_resource(first_name="Bo", last_name="Berg", email="bo.berg@exempel.se", phone="070-111 22 33")


@pytest.fixture
def cecilia(db):
    return active_resource(first_name="Cecilia", last_name="Ek", email="cecilia.ek@exempel.se", phone="070-444 55 66")


def send(req, people, coordinator, **kwargs) -> list[Inquiry]:
    """The inquiries created, in the order of `people`."""
    kwargs.setdefault("deadline", in_days(5))
    created = {i.resource_id: i for i in services.send_inquiries(req, people, actor=coordinator, **kwargs)}
    return [created[p.pk] for p in people if p.pk in created]


@pytest.fixture
def sent(req, bo, coordinator) -> Inquiry:
    """Bo has been asked and has not answered yet."""
    [inquiry] = send(req, [bo], coordinator)
    return inquiry


def unchanged(inquiry: Inquiry) -> bool:
    """Still waiting for an answer, with the link still usable."""
    nonce = inquiry.nonce
    inquiry.refresh_from_db()
    return (inquiry.status, inquiry.nonce, inquiry.answered_at, inquiry.comment) == (InquiryStatus.SENT, nonce, None, "")


# --- sending ---------------------------------------------------------------------------


def test_sending_asks_each_person_moves_the_request_to_matching_and_mails_them(client, login, coordinator, req, bo, cecilia):
    request_services.add_note(req, SECRET_NOTE, actor=coordinator)
    login(client, coordinator)

    response = client.post(
        shortlist_url(req), {"people": [bo.pk, cecilia.pk], "deadline": form_deadline(), "message": "Hoppas du vill!"}
    )

    assert response.status_code == 302
    assert response.url == answers_url(req)
    req.refresh_from_db()
    assert req.status == RequestStatus.MATCHING
    inquiries = list(Inquiry.objects.filter(request=req).order_by("resource__first_name"))
    assert [(i.resource, i.status, i.sent_by, i.by_hand) for i in inquiries] == [
        (bo, InquiryStatus.SENT, coordinator, False),
        (cecilia, InquiryStatus.SENT, coordinator, False),
    ]
    assert recipients("inquiry") == ["bo.berg@exempel.se", "cecilia.ek@exempel.se"]
    with translation.override("sv"):
        when = formats.date_format(req.starts_on, "j F Y")
    for inquiry in inquiries:
        message = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}")
        body = message.body_text
        assert message.to == inquiry.resource.email
        assert message.subject == "Vill du vara med? Workshop om smärta"
        assert "Workshop om smärta" in body
        assert f"När: {when}" in body
        assert f"Arvode: {FEE_TEXT}" in body
        assert "Hoppas du vill!" in body
        assert services.inquiry_from_token(token_in(body)) == (inquiry, "")
        assert SECRET_NOTE not in body
        assert "karin.vardsson@regionexempel.se" not in body  # the unit's contact person
        assert "verksamhet@regionexempel.se" not in body
    entries = AuditEntry.objects.filter(action="matching.inquiry.sent", object_id=str(req.pk)).order_by("pk")
    assert sorted(e.data["resource"] for e in entries) == sorted([bo.pk, cecilia.pk])
    assert {e.actor for e in entries} == {coordinator}


def test_sending_twice_asks_nobody_twice(coordinator, req, bo, cecilia):
    """A double click: both forms were built before either was sent."""
    first = send(req, [bo, cecilia], coordinator)
    second = send(req, [bo, cecilia], coordinator)

    assert len(first) == 2
    assert second == []
    assert Inquiry.objects.filter(request=req).count() == 2
    assert recipients("inquiry") == ["bo.berg@exempel.se", "cecilia.ek@exempel.se"]
    assert AuditEntry.objects.filter(action="matching.inquiry.sent").count() == 2


def test_posting_the_shortlist_form_twice_asks_nobody_twice(client, login, coordinator, req, bo):
    login(client, coordinator)
    data = {"people": [bo.pk], "deadline": form_deadline()}

    client.post(shortlist_url(req), data)
    second = client.post(shortlist_url(req), data)

    # The second click lands where the first did, with no error.
    assert (second.status_code, second["Location"]) == (302, answers_url(req))
    assert Inquiry.objects.filter(request=req).count() == 1
    assert recipients("inquiry") == ["bo.berg@exempel.se"]
    assert AuditEntry.objects.filter(action="matching.inquiry.sent").count() == 1


@pytest.mark.parametrize("status", [RequestStatus.IN_TRIAGE, RequestStatus.NEEDS_INFO, RequestStatus.MATCHED])
def test_sending_is_refused_unless_the_request_is_ready(client, login, coordinator, req, bo, status):
    request_at_status = UnitRequest.objects.filter(pk=req.pk)
    request_at_status.update(status=status)
    login(client, coordinator)

    response = client.post(shortlist_url(req), {"people": [bo.pk], "deadline": form_deadline()}, follow=True)

    assert response.redirect_chain[-1][0] == shortlist_url(req)
    assert messages_of(response) == ["Förfrågan måste vara redo för matchning innan någon tillfrågas."]
    assert Inquiry.objects.count() == 0
    assert mails("inquiry") == []
    assert request_at_status.get().status == status


def pause(person, req):
    person.status = ResourceStatus.PAUSED
    person.save(update_fields=["status", "updated_at"])  # as registry.services does


def add_conflict(person, req):
    Conflict.objects.create(resource=person, unit=req.unit)


@pytest.mark.parametrize("change", [pause, add_conflict], ids=["paused", "conflict"])
def test_someone_no_longer_eligible_is_not_asked(coordinator, req, bo, cecilia, change):
    change(bo, req)  # after the coordinator opened the shortlist

    with pytest.raises(services.MatchingError, match=r"^Bo Berg kan inte tillfrågas längre"):
        send(req, [bo, cecilia], coordinator)

    assert Inquiry.objects.count() == 0
    assert mails("inquiry") == []
    req.refresh_from_db()
    assert req.status == RequestStatus.READY


@pytest.mark.parametrize("change", [pause, add_conflict], ids=["paused", "conflict"])
def test_the_shortlist_form_refuses_someone_no_longer_eligible(client, login, coordinator, req, bo, change):
    login(client, coordinator)
    assert [c.resource for c in client.get(shortlist_url(req)).context["candidates"]] == [bo]
    change(bo, req)

    response = client.post(shortlist_url(req), {"people": [bo.pk], "deadline": form_deadline()})

    assert response.status_code == 400
    assert response.context["candidates"] == []
    assert Inquiry.objects.count() == 0
    assert mails("inquiry") == []


def test_adding_by_hand_without_a_reason_says_so_beside_the_field(client, login, coordinator, req, bo):
    login(client, coordinator)

    response = client.post(
        f"{shortlist_url(req)}for-hand/", {"person": bo.pk, "reason": "  ", "deadline": form_deadline(), "sok": "Berg"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    field = page.split(f'id="hand{bo.pk}_reason"')[1].split("</div>")[0]
    assert "Skriv varför du lägger till personen för hand." in field
    assert f'<a href="#hand{bo.pk}_reason">Skriv varför du lägger till personen för hand.</a>' in page
    assert f'value="{form_deadline()}"' in page  # the deadline typed is kept
    assert response.context["query"] == "Berg"
    assert Inquiry.objects.count() == 0
    assert mails("inquiry") == []


def test_adding_by_hand_with_a_past_deadline_keeps_the_reason_typed(client, login, coordinator, req, bo):
    login(client, coordinator)
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(f"{shortlist_url(req)}for-hand/", {"person": bo.pk, "reason": "Bo kan ämnet väl", "deadline": past})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Bo kan ämnet väl</textarea>" in page
    assert "Sista svarsdag måste ligga framåt i tiden." in page.split(f'id="hand{bo.pk}_deadline"')[1].split("</div>")[0]
    assert [person for person, _broken, _form in response.context["found"]] == [bo]  # shown though no search was made
    assert Inquiry.objects.count() == 0


def test_adding_by_hand_asks_even_someone_paused_and_logs_the_reason(client, login, coordinator, req, bo):
    pause(bo, req)
    login(client, coordinator)
    page = client.get(shortlist_url(req), {"sok": "Berg"})
    assert [(person, broken) for person, broken, _form in page.context["found"]] == [(bo, ["är inte aktiv (pausad)"])]

    response = client.post(
        f"{shortlist_url(req)}for-hand/",
        {"person": bo.pk, "reason": "Bo har gjort samma workshop förut", "deadline": form_deadline()},
    )

    assert response.status_code == 302
    inquiry = Inquiry.objects.get(request=req)
    assert (inquiry.resource, inquiry.by_hand, inquiry.hand_reason) == (bo, True, "Bo har gjort samma workshop förut")
    entry = AuditEntry.objects.get(action="matching.inquiry.sent_by_hand")
    assert entry.actor == coordinator
    assert entry.object_id == str(req.pk)
    assert entry.data["hand_reason"] == "Bo har gjort samma workshop förut"
    assert entry.data["resource"] == bo.pk
    assert recipients("inquiry") == ["bo.berg@exempel.se"]
    req.refresh_from_db()
    assert req.status == RequestStatus.MATCHING


# --- answering by the link ---------------------------------------------------------------


def test_opening_the_link_shows_the_question_and_changes_nothing(client, sent):
    response = client.get(link_of(sent))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Workshop om smärta" in page
    assert FEE_TEXT in page
    assert 'name="answer"' in page
    assert unchanged(sent)
    assert AuditEntry.objects.filter(action__in=["matching.inquiry.yes", "matching.inquiry.no"]).count() == 0


def test_yes_by_the_link_is_recorded_with_the_comment_and_what_may_be_shared(client, sent):
    link = link_of(sent)

    response = client.post(link, {"answer": "yes", "comment": "Gärna på förmiddagen", "share_email": "on"})

    assert response.status_code == 200
    assert "Tack för ditt svar!" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == InquiryStatus.YES
    assert sent.comment == "Gärna på förmiddagen"
    assert (sent.share_email, sent.share_phone) == (True, False)
    assert sent.answered_via == AnsweredVia.LINK
    assert sent.answered_at is not None
    assert sent.nonce == ""
    assert sent.closed_at is None
    entry = AuditEntry.objects.get(action="matching.inquiry.yes")
    assert entry.data == {"resource": sent.resource_id, "from": "sent", "via": "link"}


def test_erasure_ends_the_answer_link(client, coordinator, sent):
    from registry.services import confirm_leaving

    link = services.answer_link(sent).removeprefix(services.settings.SITE_URL)
    assert client.get(link).status_code == 200

    confirm_leaving(sent.resource, actor=coordinator, reason="Har bett att få lämna")

    sent.refresh_from_db()
    assert (sent.status, sent.nonce) == (InquiryStatus.CANCELLED, "")
    response = client.post(link, {"answer": "yes", "share_email": "on"})
    assert response.status_code == 400
    sent.refresh_from_db()
    assert (sent.status, sent.share_email, sent.answered_at) == (InquiryStatus.CANCELLED, False, None)


def test_a_link_to_someone_already_erased_records_nothing(client, sent):
    # Erased before links were ended on erasure: the link itself refuses.
    link = services.answer_link(sent).removeprefix(services.settings.SITE_URL)
    ExperienceResource.objects.filter(pk=sent.resource_id).update(erased_at=timezone.now(), status=ResourceStatus.LEFT)
    assert client.post(link, {"answer": "yes", "share_email": "on"}).status_code == 400
    assert unchanged(sent)


def test_no_by_the_link_is_recorded(client, sent):
    response = client.post(link_of(sent), {"answer": "no", "comment": "Inte i vår"})

    assert response.status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.comment, sent.answered_via, sent.nonce) == (InquiryStatus.NO, "Inte i vår", "link", "")
    assert sent.closed_at is not None
    assert (sent.share_email, sent.share_phone) == (False, False)


def test_an_answer_without_a_choice_is_shown_again(client, sent):
    response = client.post(link_of(sent), {"comment": "Jag vet inte"})

    assert response.status_code == 400
    assert response.context["form"].errors["answer"] == ["Välj ja eller nej."]
    assert unchanged(sent)


def test_a_late_answer_is_refused_with_a_clear_message(client, sent):
    link = link_of(sent)
    Inquiry.objects.filter(pk=sent.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    response = client.post(link, {"answer": "yes", "share_email": "on"})

    assert response.status_code == 409
    assert response.context["error"] == "Tiden för att svara har gått ut. Tack ändå! Samordnaren hör av sig om det behövs."
    assert unchanged(sent)
    assert sent.share_email is False


def test_after_the_sweep_the_link_says_the_time_ran_out_not_that_an_answer_was_saved(client, sent):
    link = link_of(sent)
    Inquiry.objects.filter(pk=sent.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    services.expire_overdue()

    response = client.post(link, {"answer": "yes"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Tiden för att svara gick ut." in page
    assert "Ditt svar är sparat" not in page
    assert 'name="answer"' not in page
    sent.refresh_from_db()
    assert sent.status == InquiryStatus.EXPIRED


def test_a_used_link_changes_nothing_and_says_so(client, sent):
    link = link_of(sent)
    client.post(link, {"answer": "yes", "comment": "Ja!"})

    again = client.post(link, {"answer": "no", "comment": "Ångrar mig"})

    assert again.status_code == 409
    page = again.content.decode()
    assert "Länken är redan använd. Ditt svar är sparat och ändras inte av att du öppnar den igen." in page
    assert "Du har svarat ja." in page
    assert 'name="answer"' not in page
    sent.refresh_from_db()
    assert (sent.status, sent.comment) == (InquiryStatus.YES, "Ja!")
    assert AuditEntry.objects.filter(action__in=["matching.inquiry.yes", "matching.inquiry.no"]).count() == 1
    assert client.get(link).status_code == 409


def test_a_second_answer_is_refused(sent):
    services.answer(sent, yes=False, comment="Nej tack")

    with pytest.raises(services.MatchingError, match="Du har redan svarat"):
        services.answer(sent, yes=True, via=AnsweredVia.OWN_PAGE)

    sent.refresh_from_db()
    assert (sent.status, sent.comment) == (InquiryStatus.NO, "Nej tack")


def tampered_signature(token: str, other: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def someone_elses_payload(token: str, other: str) -> str:
    return other.split(":")[0] + ":" + token.split(":", 1)[1]


def other_salt(token: str, other: str) -> str:
    return signing.dumps(signing.loads(token, salt=services.SALT), salt="registry.yearly-check")


def garbage(token: str, other: str) -> str:
    return "inte-en-riktig-lank"


@pytest.mark.parametrize("forge", [tampered_signature, someone_elses_payload, other_salt, garbage])
def test_a_forged_link_is_refused_and_changes_nothing(client, coordinator, req, bo, cecilia, forge):
    mine, theirs = send(req, [bo, cecilia], coordinator)
    forged = forge(token_in(link_of(mine)), token_in(link_of(theirs)))

    shown = client.get(f"/svara/{forged}/")
    answered = client.post(f"/svara/{forged}/", {"answer": "yes"})

    assert (shown.status_code, answered.status_code) == (400, 400)
    assert "Länken fungerar inte." in answered.content.decode()
    assert answered.context["problem"] == "invalid"
    assert unchanged(mine)
    assert unchanged(theirs)


def test_a_link_past_its_age_is_refused_with_a_clear_message(client, sent, settings):
    too_old = time.time() - (settings.INQUIRY_LINK_MAX_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=too_old):
        old_token = services.answer_token(sent)

    shown = client.get(f"/svara/{old_token}/")
    answered = client.post(f"/svara/{old_token}/", {"answer": "yes"})

    assert (shown.status_code, answered.status_code) == (400, 400)
    assert "Länken är för gammal och fungerar inte längre." in answered.content.decode()
    assert unchanged(sent)


# --- answering on Mina sidor and through the coordinator ----------------------------------


def test_answering_on_own_page(client, login, resource_user):
    me = ExperienceResource.objects.get(user=resource_user)
    inquiry = InquiryFactory(request=request_at(RequestStatus.MATCHING, title="Fokusgrupp om väntetider"), resource=me)
    login(client, resource_user)
    url = f"/mina-sidor/uppdragsforfragningar/{inquiry.pk}/"
    assert 'name="answer"' in client.get(url).content.decode()

    response = client.post(url, {"answer": "yes", "comment": "Gärna digitalt", "share_phone": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == url
    assert messages_of(response) == ["Tack för ditt svar!"]
    assert "Du har svarat ja." in response.content.decode()
    assert "Kan du inte komma ändå? Säg till samordnarna, så ändrar de ditt svar till nej." in response.content.decode()
    assert '<a href="mailto:levandebibliotek@regionexempel.se">levandebibliotek@regionexempel.se</a>' in response.content.decode()
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answered_via, inquiry.comment) == (InquiryStatus.YES, "own_page", "Gärna digitalt")
    assert (inquiry.share_email, inquiry.share_phone) == (False, True)
    assert AuditEntry.objects.get(action="matching.inquiry.yes").actor == resource_user


def test_a_second_answer_on_own_page_is_refused(client, login, resource_user):
    me = ExperienceResource.objects.get(user=resource_user)
    inquiry = InquiryFactory(resource=me)
    services.answer(inquiry, yes=True, comment="Ja")
    login(client, resource_user)

    response = client.post(f"/mina-sidor/uppdragsforfragningar/{inquiry.pk}/", {"answer": "no"}, follow=True)

    assert messages_of(response) == ["Du har redan svarat. Vill du ändra ditt svar, kontakta samordnaren."]
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.comment) == (InquiryStatus.YES, "Ja")


def test_the_coordinator_records_an_answer_given_by_phone(client, login, coordinator, req, sent):
    login(client, coordinator)

    response = client.post(
        f"{answers_url(req)}{sent.pk}/", {"answer": "yes", "comment": "Ringde in", "share_phone": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == answers_url(req)
    assert messages_of(response) == ["Svaret är sparat."]
    sent.refresh_from_db()
    assert (sent.status, sent.answered_via, sent.comment) == (InquiryStatus.YES, AnsweredVia.COORDINATOR, "Ringde in")
    assert (sent.share_email, sent.share_phone) == (False, True)
    assert sent.nonce == ""  # the link in the mail no longer works
    entry = AuditEntry.objects.get(action="matching.inquiry.yes")
    assert entry.actor == coordinator
    assert entry.data["via"] == "coordinator"


def test_a_phone_answer_without_yes_or_no_is_shown_again_with_what_was_typed(client, login, coordinator, req, sent):
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}{sent.pk}/", {"comment": "Ringde, vill tänka", "share_phone": "on"})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'<a href="#a-yes-{sent.pk}">Välj ja eller nej.</a>' in page
    assert f'<div class="invalid-feedback d-block" id="a-error-{sent.pk}"><strong>Välj ja eller nej.</strong></div>' in page
    assert f'aria-describedby="a-error-{sent.pk}"' in page
    assert f'id="a-comment-{sent.pk}" value="Ringde, vill tänka"' in page
    assert f'id="a-phone-{sent.pk}" checked' in page
    assert f'id="a-email-{sent.pk}" checked' not in page
    assert "<details open>" in page
    sent.refresh_from_db()
    assert (sent.status, sent.comment) == (InquiryStatus.SENT, "")


def test_the_coordinator_records_a_late_answer_given_by_phone_after_the_inquiry_expired(client, login, coordinator, req, sent):
    Inquiry.objects.filter(pk=sent.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    services.expire_overdue()
    sent.refresh_from_db()
    assert (sent.status, sent.closed_at is not None) == (InquiryStatus.EXPIRED, True)
    login(client, coordinator)
    assert f'action="{answers_url(req)}{sent.pk}/"' in client.get(answers_url(req)).content.decode()  # the form is offered

    response = client.post(f"{answers_url(req)}{sent.pk}/", {"answer": "yes", "comment": "Ringde dagen efter"}, follow=True)

    assert messages_of(response) == ["Svaret är sparat."]
    sent.refresh_from_db()
    assert (sent.status, sent.comment, sent.answered_via, sent.closed_at) == (
        InquiryStatus.YES,
        "Ringde dagen efter",
        AnsweredVia.COORDINATOR,
        None,
    )
    assert AuditEntry.objects.filter(action="matching.inquiry.yes").latest("pk").data["from"] == "expired"


def test_the_coordinator_cannot_record_an_answer_on_another_requests_inquiry(client, login, coordinator, req, sent):
    other = request_at(RequestStatus.MATCHING)
    login(client, coordinator)

    response = client.post(f"{answers_url(other)}{sent.pk}/", {"answer": "no"})

    assert response.status_code == 404
    assert unchanged(sent)


# --- the sweeps ----------------------------------------------------------------------------


@pytest.fixture
def three(req, coordinator):
    """One due for a reminder, one with plenty of time left, one past its deadline."""
    due, later, overdue = send(
        req,
        [active_resource(first_name="Dag"), active_resource(first_name="Lena"), active_resource(first_name="Olle")],
        coordinator,
    )
    Inquiry.objects.filter(pk=due.pk).update(deadline=timezone.now() + timedelta(hours=24))
    Inquiry.objects.filter(pk=later.pk).update(deadline=timezone.now() + timedelta(days=5))
    Inquiry.objects.filter(pk=overdue.pk).update(deadline=timezone.now() - timedelta(hours=1))
    return due, later, overdue


def test_reminders_go_once_and_only_when_the_deadline_is_near(three):
    due, later, overdue = three

    assert services.send_reminders() == 1
    assert services.send_reminders() == 0

    reminders = mails("reminder")
    assert [m.to for m in reminders] == [due.resource.email]
    assert services.inquiry_from_token(token_in(reminders[0].body_text)) == (due, "")
    assert reminders[0].subject == f"Påminnelse: vill du vara med? {due.request.title}"
    assert [Inquiry.objects.get(pk=i.pk).reminded_at is not None for i in (due, later, overdue)] == [True, False, False]
    assert AuditEntry.objects.filter(action="matching.inquiry.reminded").count() == 1


def test_the_reminder_window_follows_the_setting(three, settings):
    settings.INQUIRY_REMINDER_HOURS = 12

    assert services.send_reminders() == 0
    assert mails("reminder") == []


def test_no_reminder_to_someone_who_already_answered(three):
    due, _later, _overdue = three
    services.answer(due, yes=True)

    assert services.send_reminders() == 0
    assert mails("reminder") == []


def test_overdue_inquiries_expire_once_with_one_mail(three):
    *in_time, overdue = three

    assert services.expire_overdue() == 1
    assert services.expire_overdue() == 0

    overdue.refresh_from_db()
    assert overdue.status == InquiryStatus.EXPIRED
    assert overdue.nonce == ""
    assert overdue.closed_at is not None
    assert [m.to for m in mails("expired")] == [overdue.resource.email]
    assert AuditEntry.objects.filter(action="matching.inquiry.expired").count() == 1
    assert [Inquiry.objects.get(pk=i.pk).status for i in in_time] == [InquiryStatus.SENT, InquiryStatus.SENT]


def test_a_yes_is_never_expired(three):
    _due, _later, overdue = three
    Inquiry.objects.filter(pk=overdue.pk).update(status=InquiryStatus.YES)

    assert services.expire_overdue() == 0
    assert mails("expired") == []


def test_the_celery_sweep_expires_and_reminds(three):
    due, _later, overdue = three

    result = sweep_inquiries.apply()

    assert result.get() == {"expired": 1, "reminded": 1}
    assert sweep_inquiries.apply().get() == {"expired": 0, "reminded": 0}
    assert [m.to for m in mails("expired")] == [overdue.resource.email]
    assert [m.to for m in mails("reminder")] == [due.resource.email]


# --- the choice ----------------------------------------------------------------------------


@pytest.fixture
def answered(req, coordinator, bo, cecilia):
    """Bo and Cecilia said yes (Bo shares his e-mail only), David said no, Eva has not answered."""
    david = active_resource(first_name="David", last_name="Dahl")
    eva = active_resource(first_name="Eva", last_name="Ström")
    inquiries = dict(zip(["bo", "cecilia", "david", "eva"], send(req, [bo, cecilia, david, eva], coordinator), strict=True))
    services.answer(inquiries["bo"], yes=True, share_email=True, share_phone=False)
    services.answer(inquiries["cecilia"], yes=True, share_email=True, share_phone=True)
    services.answer(inquiries["david"], yes=False)
    req.refresh_from_db()
    return inquiries


def statuses(inquiries: dict) -> dict:
    return {name: Inquiry.objects.get(pk=i.pk).status for name, i in inquiries.items()}


def test_confirming_the_choice_tells_everyone(client, login, coordinator, req, answered):
    login(client, coordinator)
    OutboundEmail.objects.all().delete()

    response = client.post(f"{answers_url(req)}bekrafta/", {"chosen": [answered["bo"].pk]}, follow=True)

    assert response.redirect_chain[-1][0] == answers_url(req)
    assert messages_of(response) == ["Klart! Verksamheten och de valda personerna har fått besked."]
    req.refresh_from_db()
    assert req.status == RequestStatus.MATCHED
    assert statuses(answered) == {
        "bo": InquiryStatus.CHOSEN,
        "cecilia": InquiryStatus.NOT_NEEDED,
        "david": InquiryStatus.NO,
        "eva": InquiryStatus.CANCELLED,
    }
    assert recipients("matched_unit") == ["karin.vardsson@regionexempel.se", "verksamhet@regionexempel.se"]
    # one mail to each at the unit: who was chosen, not also the plain "status changed" mail
    assert not OutboundEmail.objects.filter(template="requests_app/email/status_changed").exists()
    for message in mails("matched_unit"):
        assert "- Bo Berg, bo.berg@exempel.se\n" in message.body_text
        assert "070-111 22 33" not in message.body_text  # Bo did not agree to share his phone
        assert "Cecilia" not in message.body_text
        assert "David" not in message.body_text
        assert "Eva" not in message.body_text
    assert recipients("chosen") == [answered["bo"].resource.email]
    assert recipients("not_needed") == [answered["cecilia"].resource.email]
    assert recipients("closed") == [answered["eva"].resource.email]
    assert AuditEntry.objects.filter(action="matching.inquiry.chosen", actor=coordinator).count() == 1
    assert AuditEntry.objects.filter(action="requests.request.matched", object_id=str(req.pk)).count() == 1


def test_the_unit_gets_the_phone_number_only_when_the_person_agreed(coordinator, req, answered):
    services.confirm_choice(req, [answered["cecilia"]], actor=coordinator)

    [message, _same] = mails("matched_unit")
    assert "- Cecilia Ek, cecilia.ek@exempel.se, 070-444 55 66\n" in message.body_text
    assert "Bo Berg" not in message.body_text


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (["david"], "Bara den som har tackat ja kan väljas. Sidan visar hur det ser ut nu."),
        (["eva"], "Bara den som har tackat ja kan väljas. Sidan visar hur det ser ut nu."),
        (["bo", "david"], "Bara den som har tackat ja kan väljas. Sidan visar hur det ser ut nu."),
        ([], "Välj minst en person som har tackat ja."),
    ],
)
def test_only_someone_who_said_yes_can_be_chosen(client, login, coordinator, req, answered, who, message):
    before = statuses(answered)
    login(client, coordinator)
    OutboundEmail.objects.all().delete()

    response = client.post(f"{answers_url(req)}bekrafta/", {"chosen": [answered[name].pk for name in who]})

    assert response.status_code == 409
    assert messages_of(response) == [message]
    assert statuses(answered) == before
    req.refresh_from_db()
    assert req.status == RequestStatus.MATCHING
    assert OutboundEmail.objects.count() == 0


def test_an_inquiry_of_another_request_cannot_be_chosen(client, login, coordinator, req, answered):
    elsewhere = InquiryFactory(status=InquiryStatus.YES)
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}bekrafta/", {"chosen": [elsewhere.pk]})

    assert response.status_code == 409
    elsewhere.refresh_from_db()
    assert elsewhere.status == InquiryStatus.YES
    req.refresh_from_db()
    assert req.status == RequestStatus.MATCHING


def test_the_answers_page_says_what_to_do_next(client, login, coordinator, req, answered):
    login(client, coordinator)
    # two of two wanted have said yes (Bo and Cecilia), Eva has not answered
    page = client.get(answers_url(req)).content.decode()
    assert "Tillräckligt många har sagt ja. Välj vilka som ska göra uppdraget och bekräfta." in page

    UnitRequest.objects.filter(pk=req.pk).update(people_count=3)
    page = client.get(answers_url(req)).content.decode()
    assert "Tillräckligt många" not in page
    assert "1 har inte svarat ännu." in page

    services.answer(answered["eva"], yes=False)
    page = client.get(answers_url(req)).content.decode()
    assert "Ingen förfrågan väntar på svar längre, men det behövs fler som säger ja." in page
    assert f'<a href="/samordning/forfragningar/{req.pk}/matchning/">Fråga fler</a></div>' in page


def test_a_yes_taken_back_by_phone_becomes_a_no_with_the_reason(client, login, coordinator, req, answered):
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}{answered['bo'].pk}/kan-inte/", {"reason": "Har fått förhinder"}, follow=True)

    assert response.redirect_chain[-1][0] == answers_url(req)
    assert messages_of(response) == ["Ändrat till nej. Personen räknas inte längre bland dem som kan väljas."]
    bo = Inquiry.objects.get(pk=answered["bo"].pk)
    assert (bo.status, bo.comment, bo.answered_via) == (InquiryStatus.NO, "Har fått förhinder", AnsweredVia.COORDINATOR)
    assert [i.resource.first_name for i in response.context["yes"]] == ["Cecilia"]
    entry = AuditEntry.objects.filter(action="matching.inquiry.no").latest("pk")
    assert (entry.actor, entry.data["from"], entry.data["resource"]) == (coordinator, "yes", bo.resource_id)


def test_taking_back_a_yes_needs_a_reason_beside_the_field(client, login, coordinator, req, answered):
    login(client, coordinator)
    bo = answered["bo"]

    response = client.post(f"{answers_url(req)}{bo.pk}/kan-inte/", {"reason": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'<a href="#w-reason-{bo.pk}">Skriv varför personen inte kan längre.</a>' in page
    assert f'aria-describedby="w-error-{bo.pk}"' in page
    assert (
        f'<div class="invalid-feedback d-block" id="w-error-{bo.pk}"><strong>Skriv varför personen inte kan längre.</strong>'
        in page
    )
    bo.refresh_from_db()
    assert bo.status == InquiryStatus.YES


@pytest.mark.parametrize("who", ["david", "eva"])  # a no, and one not answered
def test_only_a_yes_can_be_taken_back(client, login, coordinator, req, answered, who):
    before = statuses(answered)
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}{answered[who].pk}/kan-inte/", {"reason": "Ringde"})

    assert response.status_code == 409
    assert messages_of(response) == ["Bara ett ja som ännu inte är valt kan tas tillbaka. Sidan visar hur det ser ut nu."]
    assert statuses(answered) == before


def test_a_chosen_person_cannot_be_taken_back_here(client, login, coordinator, req, answered):
    services.confirm_choice(req, [answered["bo"]], actor=coordinator)
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}{answered['bo'].pk}/kan-inte/", {"reason": "Ringde"})

    assert response.status_code == 409
    assert Inquiry.objects.get(pk=answered["bo"].pk).status == InquiryStatus.CHOSEN


def test_a_yes_of_another_request_cannot_be_taken_back_through_this_one(client, login, coordinator, req, answered):
    elsewhere = InquiryFactory(status=InquiryStatus.YES)
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}{elsewhere.pk}/kan-inte/", {"reason": "Ringde"})

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == InquiryStatus.YES


def test_confirming_is_refused_unless_the_request_is_under_matching(client, login, coordinator, req, answered):
    request_services.set_request_status(req, RequestStatus.READY, actor=coordinator)  # sent back to look for more
    before = statuses(answered)
    login(client, coordinator)

    response = client.post(f"{answers_url(req)}bekrafta/", {"chosen": [answered["bo"].pk]})

    assert response.status_code == 409
    assert messages_of(response) == ["Förfrågan är inte under matchning. Sidan visar hur det ser ut nu."]
    assert response.context["req"].status == RequestStatus.READY
    assert statuses(answered) == before
    assert mails("matched_unit") == []


def test_confirming_twice_tells_everyone_once(coordinator, req, answered):
    services.confirm_choice(req, [answered["bo"]], actor=coordinator)

    with pytest.raises(services.MatchingError):
        services.confirm_choice(req, [answered["bo"]], actor=coordinator)

    assert len(mails("matched_unit")) == 2  # the contact person and the one who sent the request
    assert len(mails("chosen")) == 1


# --- the request closes ---------------------------------------------------------------------


def test_declining_the_request_closes_open_inquiries(client, coordinator, req, answered):
    links = {name: link_of(i) for name, i in answered.items()}
    OutboundEmail.objects.all().delete()

    request_services.set_request_status(req, RequestStatus.DECLINED, actor=coordinator, reason="Verksamheten har pausat arbetet")

    assert statuses(answered) == {
        "bo": InquiryStatus.CANCELLED,
        "cecilia": InquiryStatus.CANCELLED,
        "david": InquiryStatus.NO,
        "eva": InquiryStatus.CANCELLED,
    }
    assert recipients("closed") == sorted(answered[n].resource.email for n in ["bo", "cecilia", "eva"])
    assert "Workshop om smärta" in mails("closed")[0].body_text
    assert "Verksamheten har pausat arbetet" not in mails("closed")[0].body_text
    page = client.get(links["eva"])
    assert page.status_code == 409
    assert "Förfrågan är stängd. Du behöver inte svara." in page.content.decode()
    assert "Ditt svar är sparat" not in page.content.decode()


def test_the_unit_withdrawing_closes_open_inquiries(client, login, unit_staff, req, answered):
    OutboundEmail.objects.all().delete()
    login(client, unit_staff)

    client.post(f"/verksamhet/forfragningar/{req.pk}/aterkalla/", {"reason": "Projektet är stoppat"})

    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    assert statuses(answered)["eva"] == InquiryStatus.CANCELLED
    assert statuses(answered)["bo"] == InquiryStatus.CANCELLED
    assert recipients("closed") == sorted(answered[n].resource.email for n in ["bo", "cecilia", "eva"])
    assert AuditEntry.objects.filter(action="matching.inquiry.cancelled", actor=unit_staff).count() == 3


def test_the_link_after_the_deadline_but_before_the_sweep_shows_no_form(client, sent):
    Inquiry.objects.filter(pk=sent.pk).update(deadline=in_days(-0.1))

    response = client.get(link_of(sent))

    assert response.status_code == 409
    assert "form" not in response.context
    assert "Tiden för att svara har gått ut" in response.content.decode()
    assert unchanged(sent)


def test_withdrawing_a_matched_request_tells_the_chosen(coordinator, unit_staff, req, bo, cecilia):
    bo_inquiry, _cecilia_inquiry = send(req, [bo, cecilia], coordinator)
    services.answer(bo_inquiry, yes=True)
    services.confirm_choice(req, [bo_inquiry], actor=coordinator)

    request_services.set_request_status(req, RequestStatus.WITHDRAWN, actor=unit_staff, by_unit=True)

    assert recipients("withdrawn") == ["bo.berg@exempel.se"]
    bo_inquiry.refresh_from_db()
    assert bo_inquiry.status == InquiryStatus.CHOSEN  # history stays as it was


def test_the_request_timeline_tells_what_happened_in_words(client, login, coordinator, req, bo):
    [inquiry] = send(req, [bo], coordinator)
    services.answer(inquiry, yes=True)
    login(client, coordinator)

    labels = [item["label"] for item in client.get(f"/samordning/forfragningar/{req.pk}/").context["timeline"]]

    assert "Förfrågan skickad till en erfarenhetsresurs" in labels
    assert "En erfarenhetsresurs tackade ja" in labels
    assert not [label for label in labels if str(label).startswith("matching.")]
