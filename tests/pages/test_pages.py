import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/om/tillganglighet/", "Rapportera ett problem"),
        ("/om/personuppgifter/", "Hur länge vi sparar uppgifterna"),
        ("/", "Levande bibliotek"),
    ],
)
def test_public_pages_have_real_content(client, db, url, text):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert text in page
    assert page.count("<h1") == 1
    assert 'href="#main"' in page  # skip link
    assert 'href="/om/tillganglighet/"' in page  # footer links
    assert 'href="/om/personuppgifter/"' in page


def test_404_is_friendly_and_in_the_frame(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan finns inte" in page
    assert 'href="/om/tillganglighet/"' in page


def test_403_is_friendly_and_in_the_frame(client, unit_staff, login):
    login(client, unit_staff)
    response = client.get("/samordning/")
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()


def test_500_page_renders_without_context(db, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.pages.urls_boom"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel hos oss" in page
    assert "Traceback" not in page


def test_english_can_be_chosen(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/om/tillganglighet/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_security_headers(client, db):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_health(client, db):
    assert client.get("/health/").json() == {"status": "ok"}


def test_swedish_even_when_the_browser_prefers_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in response.content.decode()
