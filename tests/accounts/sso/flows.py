"""Driving a sign-in through the test IdPs with Django's test client; the IdPs answer over HTTP."""

import http.client
from urllib.parse import urlparse
from urllib.request import urlopen

from tests.accounts.sso.conftest import ORG


def saml_start(client) -> str:
    """Press 'Logga in med ditt organisationskonto' and return where the app sends the browser."""
    response = client.post(f"/accounts/saml/{ORG}/login/", {"process": "login"})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def saml_sign_in(client, idp, *, follow=True):
    location = saml_start(client)
    assert location.startswith(idp.base)
    with urlopen(location, timeout=10) as answer:  # noqa: S310 - the test's own IdP on loopback
        assert answer.status == 200
    acs, fields = idp.last_post
    return post_to_acs(client, acs, fields, follow=follow)


def post_to_acs(client, acs, fields, *, follow=True):
    return client.post(urlparse(acs).path, fields, follow=follow)


def oidc_sign_in(client, op, *, follow=True):
    response = client.post("/accounts/oidc/entra/login/", {"process": "login"})
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(op.base)
    # The provider redirects back with a code; the browser would follow it.
    parsed = urlparse(location)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", f"{parsed.path}?{parsed.query}")
    back = conn.getresponse().getheader("Location")
    conn.close()
    back_url = urlparse(back)
    return client.get(f"{back_url.path}?{back_url.query}", follow=follow)
