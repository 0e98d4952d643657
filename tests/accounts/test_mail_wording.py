"""Every mail the app sends is in its own words with the region's name, allauth's too."""

from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template

from notifications.services import tidy_text

ALLAUTH = Path(allauth.__file__).parent / "templates"
ALLAUTH_MAILS = sorted(
    str(p.relative_to(ALLAUTH)) for folder in ("account/email", "mfa/email") for p in (ALLAUTH / folder).glob("*.txt")
)


@pytest.mark.parametrize("name", ALLAUTH_MAILS)
def test_every_allauth_mail_template_is_our_own(name):
    origin = Path(get_template(name).origin.name)
    assert origin.is_relative_to(Path(settings.BASE_DIR) / "templates"), f"{name} is allauth's default text"


def test_unit_sign_up_verification_mail_is_plain_swedish_with_the_region(client, db, settings):
    settings.REGION_NAME = "Region Östergötland"
    response = client.post("/accounts/signup/", {"full_name": "Anna Vård", "email": "anna.vard@regionexempel.se"})
    assert response.status_code == 302

    message = mail.outbox[-1]
    assert message.to == ["anna.vard@regionexempel.se"]
    assert message.subject == "[Levande bibliotek] Bekräfta din e-postadress"
    body = message.body
    assert "Du har skapat ett konto i Levande bibliotek med adressen anna.vard@regionexempel.se." in body
    assert "Levande bibliotek, Region Östergötland" in body
    for default in ("registrera ett konto på .", "epost-adress", "mailet", "Hello from", "example.com"):
        assert default not in body
    assert "\n\n\n" not in body


def test_unknown_address_mail_points_to_the_application_and_sign_up(client, db):
    client.post("/accounts/login/code/", {"email": "okand@exempel.se"})
    body = mail.outbox[-1].body
    assert "Vi har inget konto med den adressen." in body
    assert "http://127.0.0.1:8000/bli-erfarenhetsresurs/" in body
    assert "Levande bibliotek, Region Exempel" in body


def test_tidy_text_leaves_no_holes():
    assert tidy_text("Hej!\n\n\n\nRad  \n\n\n\nSlut\n") == "Hej!\n\nRad\n\nSlut"


APP_MAILS = sorted(
    p
    for app in ("registry", "requests_app", "matching", "assignments", "compensation", "evaluations", "insights")
    for p in (Path(settings.BASE_DIR) / app / "templates").rglob("email/*.txt")
    if not p.name.endswith("_subject.txt") and not p.name.startswith("_")
)


@pytest.mark.parametrize("path", APP_MAILS, ids=lambda p: p.name)
def test_every_mail_of_ours_names_the_region(path):
    text = path.read_text()
    assert "notifications/email/_signature.txt" in text or "{{ region_name }}" in text
