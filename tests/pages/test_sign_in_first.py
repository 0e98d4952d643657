"""Signed out, every page that needs sign-in leads to the sign-in page and back; 403 is only
for a signed-in user who may not see the page."""

import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import URLResolver, get_resolver

from tests.factories import request_at

# Pages anyone may open without signing in.
PUBLIC = {
    "",
    "om/tillganglighet/",
    "om/personuppgifter/",
    "health/",
    "robots.txt",
    "bli-erfarenhetsresurs/",
    "bli-erfarenhetsresurs/tack/",
    "fortfarande-med/<str:token>/",
    "traff/<str:token>/",
    "sa-lanar-ni/",
    "svara/<str:token>/",
    "utvardering/<str:token>/",  # an evaluation answered from its signed link
    "kontrollera-overenskommelse/",  # the public check of an agreement's PDF
    "start/",  # sends to sign-in itself, and there is nothing to come back to
}
OUTSIDE = ("accounts/", "admin/", "i18n/")


def _patterns(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def _url(pattern: str) -> str:
    if pattern.startswith("^"):  # the one regular expression: the data download
        return "/mina-sidor/mina-uppgifter.json"
    return "/" + re.sub(r"<int:\w+>", "1", re.sub(r"<(?:str|slug):\w+>", "x", pattern))


PRIVATE = sorted(p for p in _patterns() if p not in PUBLIC and not p.startswith(OUTSIDE))


def test_the_list_of_private_pages_is_not_empty():
    # A guard against the walk silently finding nothing.
    assert len(PRIVATE) > 50


@pytest.mark.parametrize("pattern", PRIVATE)
def test_signed_out_goes_to_sign_in_and_is_brought_back(client, db, pattern):
    url = _url(pattern)
    response = client.get(url)
    if response.status_code == 405:  # a form's target; the page it sits on is tested itself
        response = client.post(url, HTTP_REFERER="http://testserver/samordning/?flik=1")
        assert response.status_code == 302
        assert response.url == f"/accounts/login/?next={quote('/samordning/?flik=1', safe='/')}"
        return
    assert response.status_code == 302, url
    assert response.url == f"/accounts/login/?next={quote(url, safe='/')}"


def test_signed_out_post_without_referer_goes_to_sign_in_then_the_start_page(client, db):
    response = client.post("/samordning/forfragningar/1/status/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/start/"


def test_signed_in_without_permission_still_gets_403(client, db, resource_user, login):
    login(client, resource_user)
    response = client.get("/samordning/forfragningar/1/")
    assert response.status_code == 403
    assert "Du har inte behörighet" in response.content.decode()


def test_link_from_a_mail_works_after_signing_in_with_a_code(client, db, unit, unit_staff):
    """The unit opens /verksamhet/forfragningar/N/ from a mail while signed out, signs in
    with an e-mailed code and lands on the request."""
    unit_request = request_at("in_triage", unit=unit)
    url = f"/verksamhet/forfragningar/{unit_request.pk}/"
    assert EmailAddress.objects.filter(user=unit_staff, verified=True).exists()

    to_sign_in = client.get(url)
    login_page = client.get(to_sign_in.url)
    assert login_page.status_code == 200
    code_url = f"/accounts/login/code/?next={quote(url, safe='/')}"
    assert code_url in login_page.content.decode().replace("&amp;", "&")

    sent = client.post("/accounts/login/code/", {"email": unit_staff.email, "next": url})
    assert sent.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    confirmed = client.post(sent.url, {"code": code})

    assert confirmed.status_code == 302
    assert confirmed.url == url
    assert client.get(url).status_code == 200
