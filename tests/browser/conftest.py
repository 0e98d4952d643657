"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test visits is scanned with axe (WCAG 2.1 A and AA) and must have no violations.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils.text import slugify

from registry.enums import PerspectiveCode
from registry.models import ContributionType, ExperienceArea, Perspective
from registry.taxonomies import CONTRIBUTION_TYPES, ENGLISH_NAMES, EXPERIENCE_AREAS

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Chromium is not installed (apt install chromium); CI always runs these", allow_module_level=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    # Nothing may leave the machine: any request to another host fails the test.
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert outside == []


_axe = Axe()


def assert_accessible(page):
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    report = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations)
    assert violations == [], f"{page.url}:\n{report}"


@pytest.fixture
def axe():
    return assert_accessible


@pytest.fixture
def sign_in_as(page, live_server):
    """Puts a signed-in session for `user` into the browser (password and MFA already passed)."""

    def _sign_in(user):
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])

    return _sign_in


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Taxonomies come from a data migration; a transactional test's flush can remove them
    (seen on PostgreSQL despite serialized_rollback), so make sure they are there."""
    for code in PerspectiveCode.values:
        Perspective.objects.get_or_create(code=code)
    for i, name in enumerate(EXPERIENCE_AREAS):
        ExperienceArea.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "name_en": ENGLISH_NAMES[name], "position": i}
        )
    for i, name in enumerate(CONTRIBUTION_TYPES):
        ContributionType.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "name_en": ENGLISH_NAMES[name], "position": i}
        )
