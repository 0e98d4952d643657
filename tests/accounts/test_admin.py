"""The admin shows administrators what they administer, and never a secret or health data."""

from allauth.mfa.models import Authenticator
from django.contrib import admin

from accounts.backends import AdministratorBackend
from accounts.models import AuditEntry
from tests.factories import TOTP_SECRET, ConflictFactory

# Every model in the admin, reviewed for secrets and health data. A new registration must be
# added here on purpose (and reviewed), or this test fails.
REVIEWED = {
    "accounts.user",  # address, name, active, roles
    "accounts.auditentry",  # read-only; health free text is masked when it is written
    "mfa.authenticator",  # who has which factor, and removal of a lost one; never the factor
    "notifications.outboundemail",  # the outbox (reviewed in notifications)
    "registry.experiencearea",
    "registry.contributiontype",
    "requests_app.careunit",
    "matching.matchingweights",
    "socialaccount.socialapp",  # an identity provider's protocol settings; the client secret is write-only
    "accounts.identityprovider",  # which domains, groups and contexts a provider is trusted for
    "assignments.agreementtemplate",  # the standard clauses; a save is a new version
    "compensation.pricebaseamount",  # prisbasbelopp per year
    "compensation.compensationmodel",  # dated rates; frozen once a fee was computed from one
    "evaluations.questionset",  # the questions; a sent version is copied, never edited
}


def test_only_reviewed_models_are_in_the_admin():
    assert {model._meta.label_lower for model in admin.site._registry} == REVIEWED


def test_totp_secret_is_never_shown(client, administrator, coordinator, login):
    login(client, administrator)
    totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)

    pages = [
        client.get("/admin/mfa/authenticator/"),
        client.get(f"/admin/mfa/authenticator/{totp.pk}/change/"),
    ]

    assert [p.status_code for p in pages] == [200, 200]
    for page in pages:
        assert str(coordinator) in page.content.decode()
        assert TOTP_SECRET not in page.content.decode()
        assert totp.data["secret"] not in page.content.decode()


def test_a_second_factor_cannot_be_changed_or_added_in_the_admin(client, administrator, coordinator, login):
    login(client, administrator)
    totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    response = client.post(f"/admin/mfa/authenticator/{totp.pk}/change/", {"data": '{"secret": "AAAA"}'})
    assert response.status_code == 403
    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
    totp.refresh_from_db()
    assert totp.data["secret"] != "AAAA"


def test_a_lost_second_factor_can_be_removed_and_it_is_logged(client, administrator, coordinator, login):
    login(client, administrator)
    totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)

    response = client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    entry = AuditEntry.objects.get(action="accounts.user.second_factor_removed")
    assert entry.actor == administrator
    assert entry.object_id == str(coordinator.pk)


def test_conflict_notes_are_not_in_the_admin(client, administrator, login):
    conflict = ConflictFactory(note="Behandlas för ätstörning på mottagningen")
    login(client, administrator)
    assert client.get("/admin/matching/conflict/").status_code == 404
    assert client.get(f"/admin/matching/conflict/{conflict.pk}/change/").status_code == 404
    assert "ätstörning" not in client.get("/admin/").content.decode()


def test_groups_and_raw_email_addresses_are_not_in_the_admin(client, administrator, login):
    login(client, administrator)
    assert client.get("/admin/auth/group/").status_code == 404
    assert client.get("/admin/account/emailaddress/").status_code == 404


def test_administrators_hold_no_permission_on_models_outside_the_admin(administrator):
    backend = AdministratorBackend()
    assert backend.has_perm(administrator, "accounts.view_user")
    assert not backend.has_perm(administrator, "registry.view_experienceresource")
    assert not backend.has_perm(administrator, "matching.view_conflict")
    assert not backend.has_perm(administrator, "matching.change_inquiry")


def test_identity_provider_secret_is_never_shown(client, administrator, login):
    from allauth.socialaccount.models import SocialApp

    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="entra", name="Entra", client_id="c", secret="s3cret-value"
    )
    login(client, administrator)
    page = client.get(f"/admin/socialaccount/socialapp/{app.pk}/change/").content.decode()
    assert "Entra" in page
    assert "s3cret-value" not in page
    client.post(
        f"/admin/socialaccount/socialapp/{app.pk}/change/",
        {
            "provider": "openid_connect",
            "provider_id": "entra",
            "name": "Entra 2",
            "client_id": "c",
            "secret": "",
            "key": "",
            "settings": "{}",
        },
    )
    app.refresh_from_db()
    assert (app.name, app.secret) == ("Entra 2", "s3cret-value")
