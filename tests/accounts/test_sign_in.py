import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client

from accounts.enums import Role
from accounts.models import User
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory


def current_totp() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def request_code(client, email):
    return client.post("/accounts/login/code/", {"email": email}, follow=True)


def code_from_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE).group(1)


def test_resource_signs_in_with_mailed_code(client, resource_user):
    response = request_code(client, resource_user.email)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resource_user.email]

    response = client.post("/accounts/login/code/confirm/", {"code": code_from_mail()}, follow=True)

    assert response.redirect_chain[-1][0] == "/mina-sidor/"
    assert response.wsgi_request.user == resource_user


def test_wrong_code_does_not_sign_in(client, resource_user):
    request_code(client, resource_user.email)
    response = client.post("/accounts/login/code/confirm/", {"code": "AAAAAA"})
    assert response.wsgi_request.user.is_anonymous


def test_code_mail_body_is_not_stored(client, resource_user):
    from notifications.models import EmailState, OutboundEmail

    request_code(client, resource_user.email)
    record = OutboundEmail.objects.get(to=resource_user.email)
    assert record.state == EmailState.SENT
    assert record.body_text == ""
    assert record.body_html == ""


def test_unknown_address_gets_no_code_and_no_hint(client, db):
    response = request_code(client, "nobody@exempel.se")
    assert response.status_code == 200
    # It looks the same as for a known address, and no mail carries a code.
    assert "Vi har skickat en kod" in response.content.decode() or "kod" in response.content.decode().lower()
    assert [m for m in mail.outbox if re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", m.body)] == []


def test_staff_cannot_sign_in_with_only_a_mailed_code(client, coordinator):
    request_code(client, coordinator.email)
    if mail.outbox:
        client.post("/accounts/login/code/confirm/", {"code": code_from_mail()}, follow=True)
    response = client.get("/samordning/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_sign_in_needs_password_and_totp(client, coordinator):
    response = client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert client.get("/samordning/").status_code == 302  # not signed in yet

    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp()}, follow=True)

    assert response.redirect_chain[-1][0] == "/samordning/"
    assert response.status_code == 200


def test_staff_without_mfa_must_set_it_up_first(client, db):
    user = UserFactory(email="ny.samordnare@regionexempel.se", roles=[Role.COORDINATOR])
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.wsgi_request.user == user

    response = client.get("/samordning/")

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"
    assert client.get("/samordning/resurser/").url == "/accounts/2fa/totp/activate/"
    # Setting up a second factor asks for the password once more (allauth's reauthentication).
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_lock_out_after_five_failed_passwords(client, coordinator):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": coordinator.email, "password": "fel-lösenord"})
        assert response.status_code == 200

    response = client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})

    assert response.status_code == 200  # the right password no longer helps
    assert "för många" in response.content.decode().lower()
    assert client.get("/samordning/").status_code == 302


def test_code_requests_are_rate_limited(resource_user):
    for _ in range(3):
        request_code(Client(), resource_user.email)  # a new browser each time
    sent = len(mail.outbox)
    assert sent == 3
    response = Client().post("/accounts/login/code/", {"email": resource_user.email})
    assert response.status_code == 200
    assert "för många" in response.content.decode().lower()
    assert len(mail.outbox) == sent


def test_staff_session_expires_after_inactivity(client, coordinator, settings, login):
    login(client, coordinator)
    assert client.get("/samordning/").status_code == 200
    session = client.session
    session["last_activity"] = time.time() - settings.SESSION_IDLE_TIMEOUT_STAFF.total_seconds() - 5
    session.save()

    response = client.get("/samordning/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/samordning/").status_code == 302


def test_resource_session_lasts_longer_than_staff(client, resource_user, settings, login):
    login(client, resource_user)
    session = client.session
    session["last_activity"] = time.time() - settings.SESSION_IDLE_TIMEOUT_STAFF.total_seconds() - 5
    session.save()
    assert client.get("/mina-sidor/").status_code == 200


@pytest.mark.parametrize("email", ["anna.vard@regionexempel.se", "Anna.Vard@RegionExempel.se"])
def test_unit_staff_signs_up_with_allowed_domain(client, db, email):
    response = client.post("/accounts/signup/", {"full_name": "Anna Vård", "email": email}, follow=True)
    assert response.status_code == 200
    user = User.objects.get(email__iexact=email)
    assert user.roles == frozenset({Role.UNIT_STAFF})
    assert user.full_name == "Anna Vård"
    assert not user.has_usable_password()


def test_signup_refuses_other_domains_and_keeps_what_was_typed(client, db):
    response = client.post("/accounts/signup/", {"full_name": "Olle Privat", "email": "olle@gmail.com"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Använd din e-postadress i jobbet" in page
    assert 'value="Olle Privat"' in page
    assert not User.objects.filter(email="olle@gmail.com").exists()


def test_mail_server_down_when_asking_for_a_code_is_a_kind_message_and_a_new_try(client, resource_user):
    from unittest import mock

    down = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("smtp down"))
    with down:
        response = request_code(client, resource_user.email)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/code/"
    assert [str(m) for m in response.context["messages"]] == [
        "Vi kunde inte skicka e-post till dig just nu. Vänta en liten stund och försök sedan igen."
    ]
    assert mail.outbox == []

    response = request_code(client, resource_user.email)  # the server is back
    assert len(mail.outbox) == 1
    client.post("/accounts/login/code/confirm/", {"code": code_from_mail()}, follow=True)
    assert client.get("/mina-sidor/").status_code == 200
