"""Nobody sees or changes what is not theirs: other people's inquiries, coordinators' pages, health data."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from matching import services
from matching.enums import InquiryStatus
from matching.models import Conflict, Inquiry
from notifications import links
from notifications.models import OutboundEmail
from registry.models import ExperienceArea, ExperienceResource
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.factories import (
    CareUnitFactory,
    ConflictFactory,
    InquiryFactory,
    Role,
    UserFactory,
    active_resource,
    request_at,
)

HEALTH_STORY = "Jag har haft ångest och depression sedan tonåren."


@pytest.fixture
def me(resource_user):
    return ExperienceResource.objects.get(user=resource_user)


@pytest.fixture
def req(unit, unit_staff):
    return request_at(RequestStatus.READY, unit=unit, created_by=unit_staff, title="Fokusgrupp om väntetider")


@pytest.fixture
def bo(db):
    person = active_resource(
        first_name="Bo", last_name="Berg", email="bo.berg@exempel.se", phone="070-111 22 33", story=HEALTH_STORY
    )
    person.areas.set([ExperienceArea.objects.get(slug="psykisk-ohalsa")])
    return person


@pytest.fixture
def cecilia(db):
    return active_resource(first_name="Cecilia", last_name="Ekholm", email="cecilia.ekholm@exempel.se")


def send(req, people, coordinator) -> dict[int, Inquiry]:
    created = services.send_inquiries(req, people, deadline=timezone.now() + timedelta(days=5), actor=coordinator)
    return {i.resource_id: i for i in created}


def link_of(inquiry: Inquiry) -> str:
    body = links.fill(OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}").body_text)  # as sent
    return "/svara/" + body.split("/svara/")[1].split("/")[0] + "/"


def waiting(inquiry: Inquiry) -> bool:
    nonce = inquiry.nonce
    inquiry.refresh_from_db()
    return (inquiry.status, inquiry.nonce, inquiry.answered_at) == (InquiryStatus.SENT, nonce, None)


# --- the person's own pages -------------------------------------------------------------------


def test_someone_elses_inquiry_on_own_pages_is_not_found(client, login, resource_user, me):
    mine = InquiryFactory(resource=me)
    theirs = InquiryFactory(request=request_at(RequestStatus.MATCHING, title="Någon annans uppdrag"))
    login(client, resource_user)
    url = f"/mina-sidor/uppdragsforfragningar/{theirs.pk}/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "no", "comment": "Nej"}).status_code == 404
    assert waiting(theirs)
    listing = client.get("/mina-sidor/uppdragsforfragningar/")
    assert [i.pk for i in listing.context["waiting"]] == [mine.pk]
    assert "Någon annans uppdrag" not in listing.content.decode()


def test_an_answer_link_only_ever_shows_and_answers_its_own_inquiry(client, login, resource_user, me, coordinator, req, bo):
    mine = InquiryFactory(resource=me, request=request_at(RequestStatus.MATCHING, title="Annas eget uppdrag"))
    bos = send(req, [bo], coordinator)[bo.pk]
    login(client, resource_user)  # signed in as Anna, with Bo's link

    shown = client.get(link_of(bos))
    client.post(link_of(bos), {"answer": "yes"})

    assert shown.context["inquiry"] == bos
    assert "Fokusgrupp om väntetider" in shown.content.decode()
    assert "Annas eget uppdrag" not in shown.content.decode()
    bos.refresh_from_db()
    assert bos.status == InquiryStatus.YES
    assert waiting(mine)


def test_a_token_for_one_inquiry_with_the_nonce_of_another_fails(client, coordinator, req, bo, cecilia):
    sent = send(req, [bo, cecilia], coordinator)
    a, b = sent[bo.pk], sent[cecilia.pk]
    crossed = signing.dumps({"inquiry": a.pk, "nonce": b.nonce}, salt=services.SALT)

    shown = client.get(f"/svara/{crossed}/")
    answered = client.post(f"/svara/{crossed}/", {"answer": "yes"})

    assert (shown.status_code, answered.status_code) == (409, 409)
    assert 'name="answer"' not in answered.content.decode()
    assert waiting(a)
    assert waiting(b)


def test_the_answer_page_and_the_mail_never_name_the_other_candidates(client, login, resource_user, me, coordinator, req, bo):
    me.training_completed_on = bo.training_completed_on
    me.save()
    sent = send(req, [me, bo], coordinator)
    services.answer(sent[bo.pk], yes=True, share_email=True)
    login(client, resource_user)

    pages = [
        client.get(link_of(sent[me.pk])).content.decode(),
        client.get(f"/mina-sidor/uppdragsforfragningar/{sent[me.pk].pk}/").content.decode(),
        client.get("/mina-sidor/uppdragsforfragningar/").content.decode(),
        OutboundEmail.objects.get(key=f"matching.inquiry:{sent[me.pk].pk}").body_text,
    ]

    for page in pages:
        assert "Fokusgrupp om väntetider" in page
        assert "Bo Berg" not in page
        assert "bo.berg@exempel.se" not in page


def test_someone_elses_conflict_cannot_be_removed(client, login, resource_user, me):
    theirs = ConflictFactory()
    login(client, resource_user)

    response = client.post(f"/mina-sidor/jav/{theirs.pk}/ta-bort/")

    assert response.status_code == 404
    assert Conflict.objects.filter(pk=theirs.pk).exists()
    assert list(client.get("/mina-sidor/jav/").context["conflicts"]) == []


# --- the coordinators' pages ---------------------------------------------------------------------


@pytest.fixture
def matching_urls(req, coordinator, bo, unit):
    """Every coordinator matching URL with what a request to it would do."""
    inquiry = send(req, [bo], coordinator)[bo.pk]
    services.answer(inquiry, yes=True)
    conflict = ConflictFactory(resource=bo)
    deadline = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    base = f"/samordning/forfragningar/{req.pk}"
    other = active_resource(first_name="Annan")
    return [
        ("get", f"{base}/matchning/", {}),
        ("get", f"{base}/matchning/?sok=Berg", {}),
        ("post", f"{base}/matchning/", {"people": [other.pk], "deadline": deadline}),
        ("post", f"{base}/matchning/for-hand/", {"person": other.pk, "reason": "Därför", "deadline": deadline}),
        ("get", f"{base}/svar/", {}),
        ("post", f"{base}/svar/bekrafta/", {"chosen": [inquiry.pk]}),
        ("post", f"{base}/svar/{inquiry.pk}/", {"answer": "no"}),
        ("post", f"{base}/svar/{inquiry.pk}/kan-inte/", {"reason": "Ringde"}),
        ("post", f"/samordning/resurser/{bo.pk}/jav/", {"unit": unit.pk, "note": "x"}),
        ("post", f"/samordning/resurser/{bo.pk}/jav/{conflict.pk}/ta-bort/", {}),
    ]


def nothing_changed(req) -> tuple:
    return (
        UnitRequest.objects.get(pk=req.pk).status,
        sorted(Inquiry.objects.values_list("pk", "status")),
        sorted(Conflict.objects.values_list("pk", "unit_id")),
        OutboundEmail.objects.count(),
    )


@pytest.mark.parametrize("who", ["unit_staff", "finance", "outsider", "resource"])
def test_only_coordinators_reach_the_matching_pages(client, login, personas, req, matching_urls, who):
    before = nothing_changed(req)
    login(client, personas[who])

    codes = [getattr(client, method)(url, data).status_code for method, url, data in matching_urls]

    assert codes == [403] * len(matching_urls)
    assert nothing_changed(req) == before


def test_anonymous_visitors_reach_no_matching_page(client, req, matching_urls):
    """Signed out, every matching page leads to sign-in (issue 13) and changes nothing."""
    before = nothing_changed(req)

    responses = [getattr(client, method)(url, data) for method, url, data in matching_urls]

    assert [r.status_code for r in responses] == [302] * len(matching_urls)
    assert all(r.url.startswith("/accounts/login/?next=") for r in responses)
    assert nothing_changed(req) == before


# --- what the unit sees ---------------------------------------------------------------------------


def test_the_unit_sees_the_chosen_and_their_shared_contacts_only_once_matched(
    client, login, coordinator, unit_staff, req, bo, cecilia
):
    sent = send(req, [bo, cecilia], coordinator)
    services.answer(sent[bo.pk], yes=True, share_email=True, share_phone=False, comment="Jag tar gärna med mig min dagbok")
    services.answer(sent[cecilia.pk], yes=True, share_email=True)
    login(client, unit_staff)
    url = f"/verksamhet/forfragningar/{req.pk}/"

    before = client.get(url).content.decode()
    assert "Bo Berg" not in before
    assert "Cecilia Ekholm" not in before

    services.confirm_choice(req, [sent[bo.pk]], actor=coordinator)
    after = client.get(url).content.decode()

    assert "Bo Berg" in after
    assert 'href="mailto:bo.berg@exempel.se"' in after
    assert "070-111 22 33" not in after  # Bo did not agree to share his phone
    assert "Cecilia Ekholm" not in after  # said yes, but was not chosen
    assert "cecilia.ekholm@exempel.se" not in after
    assert HEALTH_STORY not in after
    assert "Psykisk ohälsa" not in after
    assert "Jag tar gärna med mig min dagbok" not in after  # comments are for the coordinators


def test_a_chosen_person_who_shares_nothing_is_reached_through_the_coordinators(client, login, coordinator, unit_staff, req, bo):
    inquiry = send(req, [bo], coordinator)[bo.pk]
    services.answer(inquiry, yes=True, share_email=False, share_phone=False)
    services.confirm_choice(req, [inquiry], actor=coordinator)
    login(client, unit_staff)

    page = client.get(f"/verksamhet/forfragningar/{req.pk}/").content.decode()

    assert "Bo Berg (kontakt genom samordnarna)" in page
    assert "bo.berg@exempel.se" not in page
    assert "070-111 22 33" not in page
    for message in OutboundEmail.objects.filter(template="matching/email/matched_unit"):
        assert "- Bo Berg (vill bli kontaktad genom samordnaren)" in message.body_text
        assert "bo.berg@exempel.se" not in message.body_text


def test_another_units_staff_cannot_see_the_chosen(client, login, coordinator, req, bo):
    inquiry = send(req, [bo], coordinator)[bo.pk]
    services.answer(inquiry, yes=True, share_email=True)
    services.confirm_choice(req, [inquiry], actor=coordinator)
    stranger = UserFactory(email="annan.enhet@regionexempel.se", roles=[Role.UNIT_STAFF])
    CareUnitFactory(name="Hjärtcentrum").staff.add(stranger)
    login(client, stranger)

    assert client.get(f"/verksamhet/forfragningar/{req.pk}/").status_code == 404
