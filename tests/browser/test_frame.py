import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from tests.factories import PASSWORD, TOTP_SECRET, ExperienceResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Levande bibliotek"),
        ("/accounts/login/", "Logga in"),
        ("/accounts/login/code/", None),
        ("/accounts/signup/", None),
        ("/om/tillganglighet/", "Tillgänglighet för Levande bibliotek"),
        ("/om/personuppgifter/", "Så hanterar vi dina personuppgifter"),
        ("/finns-inte/", "Sidan finns inte"),
    ],
)
def test_public_pages_are_accessible(page, axe, url, heading):
    page.goto(url)
    if heading:
        assert page.locator("h1").inner_text() == heading
    assert page.locator("h1").count() == 1
    axe(page)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("coordinator", "/samordning/"),
        ("coordinator", "/samordning/resurser/"),
        ("unit_staff", "/verksamhet/"),
        ("resource_user", "/mina-sidor/"),
        ("finance", "/ekonomi/"),
        ("administrator", "/granskningslogg/"),
    ],
)
def test_start_pages_are_accessible(page, axe, sign_in_as, request, persona, url):
    user = request.getfixturevalue(persona)
    ExperienceResourceFactory(status="applied")  # something waiting on the coordinator's page
    sign_in_as(user)
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    axe(page)


def test_resource_profile_page_is_accessible(page, axe, sign_in_as, coordinator):
    resource = ExperienceResourceFactory()
    sign_in_as(coordinator)
    page.goto(f"/samordning/resurser/{resource.pk}/")
    assert page.locator("h1").inner_text() == resource.full_name
    axe(page)


def test_signup_error_is_next_to_the_field_and_keeps_input(page, axe):
    page.goto("/accounts/signup/")
    page.get_by_label("Ditt namn").fill("Olle Privat")
    page.get_by_label("Din e-postadress i jobbet").fill("olle@gmail.com")
    page.get_by_role("button", name=re.compile("Registrera|Sign Up|Skapa", re.I)).click()

    email = page.get_by_label("Din e-postadress i jobbet")
    assert email.get_attribute("aria-invalid") == "true"
    error_id = email.get_attribute("aria-describedby").split()[0]
    assert "Använd din e-postadress i jobbet" in page.locator(f"#{error_id}").inner_text()
    assert page.get_by_label("Ditt namn").input_value() == "Olle Privat"
    axe(page)


def test_wrong_password_error_is_accessible(page, axe, coordinator):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(coordinator.email)
    page.locator("#id_password").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in med lösenord").click()
    assert page.locator(".alert-danger, .invalid-feedback").count() >= 1
    axe(page)


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/om/tillganglighet/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def tab_to(page, predicate_js, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Never reached an element matching {predicate_js}")


def test_keyboard_only_sign_in_with_mailed_code(page, resource_user):
    page.goto("/accounts/login/")
    tab_to(page, "el.textContent.trim() === 'Skicka en kod till min e-post'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/code/")

    tab_to(page, "el.type === 'email'")
    page.keyboard.type(resource_user.email)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/code/confirm/")

    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    tab_to(page, "el.name === 'code'")
    page.keyboard.type(code)
    page.keyboard.press("Enter")

    page.wait_for_url("**/mina-sidor/")
    assert "Anna" in page.locator("h1").inner_text()


def test_keyboard_only_staff_sign_in_with_password_and_totp(page, coordinator):
    page.goto("/accounts/login/")
    tab_to(page, "el.type === 'email'")
    page.keyboard.type(coordinator.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/2fa/authenticate/")

    tab_to(page, "el.name === 'code'")
    page.keyboard.type(format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))
    page.keyboard.press("Enter")

    page.wait_for_url("**/samordning/")
    assert page.locator("h1").inner_text() == "Det här väntar på dig"
