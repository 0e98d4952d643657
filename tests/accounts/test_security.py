"""Who the visitor is behind the proxy, caching of signed-in pages, and how long a session lives."""

import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.middleware import client_ip
from tests.factories import PASSWORD, UserFactory

PROXY = "172.18.0.2"  # the region's TLS proxy: every request reaches the app from here


def through_proxy(visitor: str, written_by_visitor: str = "") -> Client:
    """A browser at `visitor` behind the proxy, which appends the address it saw."""
    forwarded = f"{written_by_visitor}, {visitor}" if written_by_visitor else visitor
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


# --- the visitor's address --------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "", "10.0.0.7"),
        (0, "1.2.3.4", "10.0.0.7"),  # no proxy trusted: the header is the client's own words
        (1, "", "10.0.0.7"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the left part is written by the client
        (1, "1.2.3.4,203.0.113.5", "203.0.113.5"),
        (2, "1.2.3.4, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.7"),  # fewer entries than proxies: trust none of them
        (1, "1.2.3.4, not-an-address", "10.0.0.7"),
        (1, "1.2.3.4, 2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_what_the_proxy_appended(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", **extra)
    assert client_ip(request) == expected


def test_allauth_uses_the_same_setting(settings):
    from allauth import app_settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    assert app_settings.TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT


def test_strangers_failed_passwords_do_not_lock_out_a_coordinator(behind_one_proxy, coordinator):
    for i in range(12):
        response = through_proxy(f"198.51.100.{i + 1}").post(
            "/accounts/login/", {"login": f"pahittad{i}@exempel.se", "password": "fel-lösenord"}
        )
        assert response.status_code == 200

    response = through_proxy("203.0.113.50").post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"


def test_twelve_people_asking_for_a_code_all_get_one(behind_one_proxy, db):
    people = [UserFactory(email=f"person{i}@exempel.se") for i in range(12)]
    for i, person in enumerate(people):
        response = through_proxy(f"198.51.100.{i + 1}").post("/accounts/login/code/", {"email": person.email})
        assert "för många" not in response.content.decode().lower()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_writing_the_header_does_not_dodge_allauths_limit(behind_one_proxy, db):
    refused = 0
    for i in range(12):
        client = through_proxy("198.51.100.9", written_by_visitor=f"10.9.9.{i}")
        response = client.post("/accounts/login/", {"login": f"pahittad{i}@exempel.se", "password": "fel"})
        refused += "för många" in response.content.decode().lower()
    assert refused >= 2  # 10 failed sign-ins a minute from one address, whatever it writes


# --- caching and session lifetime ---------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("coordinator", "/samordning/"),
        ("unit_staff", "/verksamhet/"),
        ("resource", "/mina-sidor/"),
        ("finance", "/ekonomi/"),
        ("administrator", "/granskningslogg/"),
    ],
)
def test_signed_in_pages_are_never_stored(client, personas, login, persona, url):
    login(client, personas[persona])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_public_page_may_be_cached_when_nobody_is_signed_in(client, db):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def _age_session(client, *, hours: float):
    session = client.session
    now = time.time()
    session["signed_in_at"] = now - hours * 3600
    session["last_activity"] = now - 10  # active a moment ago
    session.save()


def test_staff_session_ends_after_its_longest_life_however_active(client, coordinator, settings, login):
    login(client, coordinator)
    assert client.get("/samordning/").status_code == 200
    _age_session(client, hours=settings.SESSION_MAX_AGE_STAFF.total_seconds() / 3600 + 0.1)

    response = client.get("/samordning/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/samordning/").status_code == 302


def test_resource_session_has_a_longest_life_too(client, resource_user, settings, login):
    login(client, resource_user)
    _age_session(client, hours=settings.SESSION_MAX_AGE_STAFF.total_seconds() / 3600 + 0.1)
    assert client.get("/mina-sidor/").status_code == 200  # longer than staff's

    _age_session(client, hours=settings.SESSION_MAX_AGE_OTHERS.total_seconds() / 3600 + 0.1)
    response = client.get("/mina-sidor/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_clock_starts_at_sign_in(client, coordinator, login):
    before = time.time()
    login(client, coordinator)
    assert client.session["signed_in_at"] >= before - 1


def test_a_session_is_written_at_most_once_a_minute_and_its_expiry_renewed_with_it(client, coordinator, login, settings):
    login(client, coordinator)  # signing in records the activity
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/samordning/").status_code == 200
    assert not [query for query in ctx.captured_queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]

    session = client.session
    session["last_activity"] = time.time() - 61  # over a minute ago
    session.save()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/samordning/").status_code == 200
    assert [query for query in ctx.captured_queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]
    assert time.time() - client.session["last_activity"] < 5
    # The expiry renewed with it: the idle limit from now.
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_IDLE_TIMEOUT_STAFF.total_seconds()
