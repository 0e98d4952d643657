"""'Logga in med ditt organisationskonto' in Chromium, through a SAML IdP the test starts on loopback."""

import pytest

from tests.accounts.sso.conftest import connect_saml, sp_metadata
from tests.accounts.sso.servers import SamlIdP
from tests.browser.conftest import ARGS, CHROMIUM, assert_accessible  # noqa: F401 - ARGS/CHROMIUM document the launch

pytestmark = pytest.mark.browser


@pytest.fixture
def idp(live_server, tmp_path):
    server = SamlIdP(tmp_path, [sp_metadata(live_server.url)]).start()
    yield server
    server.stop()


def test_coordinator_signs_in_through_the_organisation_idp(browser, live_server, idp):
    connect_saml(idp)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    outside = []

    def guard(route):
        # Only the app and the test's own IdP, both on loopback.
        if route.request.url.startswith((live_server.url, idp.base)):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    assert_accessible(page)
    button = page.get_by_role("button", name="Logga in via Region Exempel")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{idp.base}/idp/sso*")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{live_server.url}/samordning/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
    context.close()
    assert outside == []
