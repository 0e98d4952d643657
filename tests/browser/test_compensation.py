"""Browser tests for compensation: the person's payee form and travel claim on a phone, by
keyboard, and finance's batch flow. Every page visited is scanned with axe."""

from datetime import date, time

import pytest
from django.utils import timezone

from assignments.enums import AssignmentStatus
from compensation.enums import BatchStatus, ClaimStatus
from compensation.models import Payee, PayoutBatch, TravelClaim
from registry.models import ExperienceResource
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.compensation.factories import amount_model, done_assignment, ensure_price_base_amounts, held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    return page


def test_person_gives_payee_details_on_a_phone_by_keyboard(phone, axe, sign_in_as, resource_user, settings):
    page = phone
    ensure_price_base_amounts()
    amount_model(valid_from=date(timezone.localdate().year, 1, 1), name="ersättningsmodell i år")
    me = ExperienceResource.objects.get(user=resource_user)
    done_assignment([held(timezone.localdate())], resource=me)
    sign_in_as(resource_user)
    page.goto("/mina-sidor/ersattning/")
    axe(page)
    assert "Vi behöver dina utbetalningsuppgifter" in page.locator("main").inner_text()
    page.get_by_role("link", name="Fyll i utbetalningsuppgifter").first.click()
    page.wait_for_url("**/utbetalningsuppgifter/")
    axe(page)

    page.get_by_label("Personnummer eller samordningsnummer").focus()
    page.keyboard.type("19121212-1213")  # one digit wrong
    page.keyboard.press("Tab")
    page.keyboard.type("Storgatan 1")
    page.keyboard.press("Tab")
    page.keyboard.type("582 25")
    page.keyboard.press("Tab")
    page.keyboard.type("Linköping")
    page.get_by_label("Via lönesystemets eget register (jag är redan registrerad där)").check()
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Numret stämmer inte.")
    field = page.get_by_label("Personnummer eller samordningsnummer")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Gatuadress").input_value() == "Storgatan 1"  # nothing typed is lost
    axe(page)

    field.fill("")
    field.focus()
    page.keyboard.type("19121212-1212")
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/mina-sidor/ersattning/")
    assert "••••••••-••12" in page.locator("main").inner_text()
    assert "191212121212" not in page.content()
    axe(page)
    assert Payee.objects.get().personnummer == "191212121212"


def test_person_claims_mileage_on_a_phone(phone, axe, sign_in_as, resource_user):
    page = phone
    amount_model(valid_from=date(timezone.localdate().year, 1, 1), name="ersättningsmodell i år")
    me = ExperienceResource.objects.get(user=resource_user)
    assignment = AssignmentFactory(status=AssignmentStatus.SIGNED, resource=me, title="Berätta för AT-läkare")
    SessionFactory(assignment=assignment, date=timezone.localdate(), starts_at=time(9), ends_at=time(12))
    sign_in_as(resource_user)
    page.goto("/mina-sidor/ersattning/")
    page.get_by_role("link", name="Begär ersättning för resa: Berätta för AT-läkare").click()
    page.wait_for_url("**/resa/")
    axe(page)
    page.get_by_label("Egen bil").check()
    page.get_by_role("button", name="Skicka").click()
    assert page.get_by_label("Från", exact=True).get_attribute("aria-invalid") == "true"
    axe(page)
    page.get_by_label("Från", exact=True).fill("Hemma i Kisa")
    page.get_by_label("Till", exact=True).fill("Universitetssjukhuset")
    page.get_by_label("Antal kilometer, tur och retur").fill("124")
    page.get_by_role("button", name="Skicka").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/mina-sidor/ersattning/")
    assert "Väntar på beslut" in page.locator("main").inner_text()
    axe(page)
    assert TravelClaim.objects.get().status == ClaimStatus.SUBMITTED


def test_finance_creates_exports_and_pays_a_batch(page, axe, sign_in_as, finance, settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    done_assignment([held(date(2026, 3, 10)), held(date(2026, 3, 17), time(9), time(15))])
    sign_in_as(finance)
    page.goto("/ekonomi/")
    axe(page)
    page.get_by_role("link", name="Att betala ut").first.click()
    page.wait_for_url("**/ekonomi/att-betala/")
    axe(page)
    page.get_by_label("Från och med").fill("2026-03-01")
    page.get_by_label("Till och med").fill("2026-03-31")
    page.get_by_role("button", name="Skapa utbetalning").click()
    page.wait_for_url("**/ekonomi/utbetalningar/*/")
    axe(page)
    batch = PayoutBatch.objects.get()
    assert batch.line_count == 2
    with page.expect_download() as download:
        page.get_by_role("link", name="Lönefil, CSV (Excel)").click()
    assert download.value.suggested_filename == f"{batch.reference}.csv"
    page.get_by_role("link", name="Summa per kostnadsställe och verksamhet").click()
    page.wait_for_url("**/kostnadsstallen/")
    axe(page)
    page.get_by_role("link", name=f"Tillbaka till utbetalning {batch.reference}").click()
    page.wait_for_url("**/ekonomi/utbetalningar/*/")
    page.get_by_role("button", name="Markera som betald").click()
    page.wait_for_selector("text=Utbetalningen är markerad som betald.")
    axe(page)
    assert PayoutBatch.objects.get().status == BatchStatus.PAID
    page.goto("/ekonomi/utbetalningar/")
    axe(page)
    page.goto("/ekonomi/rapporter/")
    axe(page)
    page.goto("/ekonomi/mottagare/")
    axe(page)
