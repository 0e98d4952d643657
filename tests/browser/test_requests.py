from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.factories import CareUnitFactory, submitted_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_unit_staff_send_a_request_after_an_error_and_follow_it(page, axe, sign_in_as, unit_staff):
    page.goto("/sa-lanar-ni/")
    axe(page)

    sign_in_as(unit_staff)
    page.goto("/verksamhet/")
    axe(page)
    page.get_by_role("link", name="Ny förfrågan").first.click()
    axe(page)
    page.get_by_label("Rubrik").fill("Utbildning för nya sjuksköterskor")
    page.get_by_role("button", name="Skicka förfrågan").click()

    # The error state: a summary linking to each field, the message next to the field, nothing lost.
    page.wait_for_selector("#form-errors")
    assert page.get_by_label("Rubrik").input_value() == "Utbildning för nya sjuksköterskor"
    purpose = page.get_by_label("Syfte och vad erfarenhetsresursen ska bidra med")
    assert purpose.get_attribute("aria-invalid") == "true"
    axe(page)

    page.get_by_label("Utbildning", exact=True).check()
    purpose.fill("En närstående berättar om mötet med akuten.")
    page.get_by_label("Hur många personer?").fill("1")
    page.get_by_label("Digitalt", exact=True).check()
    page.get_by_label("Halvdag (upp till 4 timmar)").check()
    page.get_by_label("Från och med").fill((timezone.localdate() + timedelta(days=40)).isoformat())
    page.get_by_label("Svar önskas senast").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Skicka förfrågan").click()

    page.wait_for_selector("text=Tack! Förfrågan är skickad")
    req = UnitRequest.objects.get()
    assert req.status == RequestStatus.SUBMITTED
    assert req.reference in page.locator("main").inner_text()
    axe(page)

    page.get_by_role("textbox", name="Meddelande").fill("Vi kan också ta emot två personer.")
    page.get_by_role("button", name="Skicka till samordnarna").click()
    page.wait_for_selector("text=Meddelandet är skickat till samordnarna.")
    axe(page)


def test_coordinator_triages_on_the_board_by_keyboard(page, axe, sign_in_as, coordinator):
    unit = CareUnitFactory(name="Hjärtmottagningen")
    wanted = [submitted_request(unit=unit, title=f"Fokusgrupp {n}") for n in range(3)][1]
    sign_in_as(coordinator)
    page.goto("/samordning/forfragningar/")
    axe(page)
    page.get_by_role("link", name=wanted.reference).click()
    axe(page)

    take = page.get_by_role("button", name="Ta ansvar för förfrågan")
    take.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("button", name="Ändra till: Under bedömning").click()
    page.wait_for_selector("text=Status: Under bedömning")
    axe(page)

    req = UnitRequest.objects.get(pk=wanted.pk)
    assert req.status == RequestStatus.IN_TRIAGE
    assert req.responsible == coordinator
