"""What people stumbled on in matching (issue 13): the fee line, the chosen mail, gaps in
mails, the answers page after the choice, the shortlist's words, the conflict form."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from matching import hooks, services
from matching.enums import InquiryStatus
from matching.scoring import Wish, explain
from notifications.models import OutboundEmail
from requests_app.enums import RequestStatus
from tests.factories import UserFactory, active_resource, request_at


@pytest.fixture
def req(unit, unit_staff):
    return request_at(
        RequestStatus.READY,
        unit=unit,
        created_by=unit_staff,
        title="Workshop om smärta",
        duration="half_day",
        starts_on=timezone.localdate() + timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=31),
        dates_note="Två eftermiddagar",
        purpose="",
    )


@pytest.fixture
def bo(db):
    return active_resource(first_name="Bo", last_name="Berg", email="bo.berg@exempel.se")


def _ask(req, people, coordinator):
    return services.send_inquiries(req, people, actor=coordinator, deadline=timezone.now() + timedelta(days=5))


@pytest.fixture
def fee_hook():
    """A later app's describer, as compensation will register one in its ready()."""
    added = []

    def register(describe):
        hooks.FEE_DESCRIPTION.append(describe)
        added.append(describe)

    yield register
    for describe in added:
        hooks.FEE_DESCRIPTION.remove(describe)


def test_fee_line_comes_from_the_hook_first_non_empty_wins(coordinator, req, bo, fee_hook):
    fee_hook(lambda unit_request: "")
    fee_hook(lambda unit_request: f"1 200 kr för {unit_request.get_duration_display().lower()}")
    fee_hook(lambda unit_request: "never used")
    [inquiry] = _ask(req, [bo], coordinator)

    body = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}").body_text
    assert "Arvode: 1 200 kr för halvdag (upp till 4 timmar)\n" in body + "\n"


def test_fee_line_falls_back_to_the_kind_of_fee(coordinator, req, bo):
    [inquiry] = _ask(req, [bo], coordinator)
    body = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}").body_text
    assert "Arvode: arvode för halvdag enligt regionens ersättningsmodell" in body


def test_fee_line_on_mina_sidor_goes_through_the_hook(client, login, coordinator, req, fee_hook):
    person = active_resource(first_name="Anna", last_name="Ek", email="anna.ek@exempel.se")
    user = UserFactory(email=person.email, roles=["resource"])
    person.user = user
    person.save(update_fields=["user"])
    [inquiry] = _ask(req, [person], coordinator)
    fee_hook(lambda unit_request: "1 200 kr")
    login(client, user)
    page = client.get(f"/mina-sidor/uppdragsforfragningar/{inquiry.pk}/").content.decode()
    assert '<dd class="col-sm-8">1 200 kr</dd>' in page


def test_when_line_keeps_the_period_and_the_note_apart(coordinator, req, bo):
    [inquiry] = _ask(req, [bo], coordinator)
    body = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}").body_text
    start, end = date_format(req.starts_on, "j F Y"), date_format(req.ends_on, "j F Y")
    assert f"När: {start} – {end} (Två eftermiddagar)\n" in body


def test_chosen_mail_names_the_phone_number_and_has_no_gaps(coordinator, req, bo, settings):
    settings.COORDINATORS_PHONE = "010-123 45 67"
    [inquiry] = _ask(req, [bo], coordinator)
    services.answer(inquiry, yes=True, share_email=True, share_phone=False)
    services.confirm_choice(req, [inquiry], actor=coordinator)

    chosen = OutboundEmail.objects.get(template="matching/email/chosen")
    assert "ring oss på 010-123 45 67." in chosen.body_text
    assert "Levande bibliotek, Region Exempel" in chosen.body_text
    for message in OutboundEmail.objects.all():
        assert "\n\n\n" not in message.body_text, message.template
        assert all(line == line.rstrip() for line in message.body_text.splitlines()), message.template


def test_answers_page_counts_the_chosen_after_the_choice(client, login, coordinator, req, bo):
    [inquiry] = _ask(req, [bo], coordinator)
    services.answer(inquiry, yes=True, share_email=True, share_phone=False)
    services.confirm_choice(req, [inquiry], actor=coordinator)
    assert inquiry.__class__.objects.get(pk=inquiry.pk).status == InquiryStatus.CHOSEN

    login(client, coordinator)
    page = client.get(f"/samordning/forfragningar/{req.pk}/svar/").content.decode()
    assert "1 är vald" in page
    assert "0 har sagt ja" not in page


def test_shortlist_says_asked_today_and_shows_the_whole_period(client, login, coordinator, req, bo, unit):
    other = request_at(RequestStatus.READY, unit=unit, title="Annat")
    _ask(other, [bo], coordinator)
    login(client, coordinator)
    page = client.get(f"/samordning/forfragningar/{req.pk}/matchning/?sok=Berg").content.decode()
    assert "tillfrågad för 0 dagar sedan" not in page
    components = {"perspective": 0, "kind": 0, "language": 0, "place": 1.0, "age": 0, "recency": 0}
    wish = Wish.of(req)
    assert "tillfrågad i dag" in explain(bo, components, {"last_asked": wish.now, "asked_12m": 1}, wish).lacking
    assert f"{date_format(req.starts_on, 'j F Y')} – {date_format(req.ends_on, 'j F Y')}" in page


def test_conflict_form_on_the_persons_page_has_a_heading_and_speaks_to_the_coordinator(client, login, coordinator, bo):
    login(client, coordinator)
    page = client.get(f"/samordning/resurser/{bo.pk}/").content.decode()
    form = page.split('id="conflict-form"')[1].split("</form>")[0]
    assert '<h3 class="h5" id="conflict-form-heading">Lägg till jäv</h3>' in form
    assert "där personen får vård" in form
    assert "där du får vård" not in form
