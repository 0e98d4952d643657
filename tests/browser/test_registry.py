import pytest

from registry.enums import ResourceStatus
from tests.factories import ExperienceResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_application_form_and_its_error_state_are_accessible(page, axe):
    page.goto("/bli-erfarenhetsresurs/")
    assert page.locator("h1").inner_text() == "Bli erfarenhetsresurs"
    axe(page)

    page.get_by_label("Förnamn").fill("Karin")
    page.get_by_role("button", name="Skicka anmälan").click()

    assert page.get_by_label("Förnamn").input_value() == "Karin"
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 2
    axe(page)


def test_application_can_be_sent_from_a_phone(browser, live_server, axe):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/bli-erfarenhetsresurs/")
    page.get_by_label("Förnamn").fill("Karin")
    page.get_by_label("Efternamn").fill("Lind")
    page.get_by_label("E-postadress").fill("karin@exempel.se")
    page.get_by_label("Närstående").check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_url("**/bli-erfarenhetsresurs/tack/")
    assert page.locator("h1").inner_text() == "Tack för din anmälan!"
    axe(page)
    context.close()


def test_coordinator_resource_page_with_actions_is_accessible(page, axe, sign_in_as, coordinator):
    resource = ExperienceResourceFactory(status=ResourceStatus.APPLIED)
    sign_in_as(coordinator)
    page.goto(f"/samordning/resurser/{resource.pk}/")
    axe(page)
    page.goto("/samordning/resurser/ny/")
    axe(page)


def test_resources_own_pages_are_accessible(page, axe, sign_in_as, resource_user):
    sign_in_as(resource_user)
    page.goto("/mina-sidor/")
    axe(page)
    page.get_by_role("link", name="Mina uppgifter och när jag kan").click()
    page.wait_for_url("**/mina-sidor/uppgifter/")
    axe(page)
    page.get_by_label("Förnamn").fill("")
    page.get_by_role("button", name="Spara mina uppgifter").click()
    assert page.get_by_label("Förnamn").get_attribute("aria-invalid") == "true"
    axe(page)
    page.goto("/mina-sidor/lamna/")
    axe(page)


def test_yearly_check_answer_page_is_accessible(page, axe):
    from datetime import timedelta

    from django.utils import timezone

    from registry.checks import answer_token
    from registry.models import ExperienceResource, YearlyCheck

    resource = ExperienceResourceFactory()
    ExperienceResource.objects.filter(pk=resource.pk).update(created_at=timezone.now() - timedelta(days=400))
    check = YearlyCheck.objects.create(resource=resource, year=2026)
    page.goto(f"/fortfarande-med/{answer_token(check)}/")
    axe(page)
    page.get_by_role("button", name="Ja, jag är kvar").click()
    assert page.get_by_text("Tack för ditt svar!").is_visible()
    axe(page)
