from datetime import timedelta

import pytest
from django.utils import timezone

from registry import events
from registry.models import EventInvitation, ExperienceResource
from tests.factories import EventFactory, ExperienceResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_creates_an_event_and_invites_by_keyboard(page, axe, sign_in_as, coordinator):
    ExperienceResourceFactory.create_batch(3)
    sign_in_as(coordinator)
    page.goto("/samordning/traffar/")
    axe(page)
    page.get_by_role("link", name="Ny träff").click()
    page.get_by_label("Rubrik").fill("Nätverksträff om smärta")
    page.get_by_role("button", name="Spara").click()
    # The error state: what was typed is kept and each problem is named next to its field.
    assert page.get_by_label("Rubrik").input_value() == "Nätverksträff om smärta"
    assert page.get_by_label("Datum").get_attribute("aria-invalid") == "true"
    axe(page)

    day = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Börjar klockan").fill("13:00")
    page.get_by_label("Slutar klockan").fill("15:00")
    page.get_by_label("Plats", exact=True).fill("Hälsans hus")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url("**/samordning/traffar/*/")
    assert page.locator("h1").inner_text() == "Nätverksträff om smärta"
    axe(page)

    invite = page.get_by_role("button", name="Skicka inbjudan till 3 personer")
    invite.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=3 personer har fått en inbjudan.")
    axe(page)


def test_resource_answers_on_own_page_and_by_link(page, axe, sign_in_as, resource_user, coordinator):
    me = ExperienceResource.objects.get(user=resource_user)
    event = EventFactory(title="Introduktion för nya")
    events.invite(event, [me], actor=coordinator)
    sign_in_as(resource_user)
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Träffar – 1 inbjudan väntar på svar").click()
    axe(page)
    page.get_by_role("button", name="Jag kommer").click()
    page.wait_for_selector("text=Tack! Vi ses på träffen.")
    axe(page)

    page.goto(f"/traff/{events.answer_token(EventInvitation.objects.get())}/")
    assert "Ditt svar just nu: Kommer." in page.locator("main").inner_text()
    axe(page)
