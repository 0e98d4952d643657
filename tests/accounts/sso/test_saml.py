"""Round trips against a SAML 2.0 IdP that the test starts on loopback (pysaml2, signing with a test key)."""

import pytest
from django.contrib.auth import get_user_model
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts.enums import Role
from accounts.models import AuditEntry, RoleGrant
from tests.accounts.sso.conftest import OTHER_SP, connect_saml
from tests.accounts.sso.flows import post_to_acs, saml_sign_in, saml_start
from tests.accounts.sso.keys import make_keypair
from tests.accounts.sso.servers import PASSWORD_CONTEXT
from tests.factories import TOTP_SECRET, UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusals():
    return list(AuditEntry.objects.filter(action="accounts.sso.refused").values_list("data", flat=True))


def test_login_page_offers_the_organisation_sign_in(client, saml_idp):
    connect_saml(saml_idp)
    page = client.get("/accounts/login/").content.decode()
    assert "Logga in med ditt organisationskonto" in page
    assert "Region Exempel" in page


def test_first_sign_in_makes_an_account_with_the_mapped_role(client, saml_idp):
    policy = connect_saml(saml_idp)
    response = saml_sign_in(client, saml_idp)
    user = signed_in_user(client)
    assert user.email == "anna.samordnare@regionexempel.se"
    assert user.full_name == "Anna Samordnare"
    assert user.hsa_id == "anna.s"
    assert set(user.roles) == {Role.COORDINATOR}
    assert RoleGrant.objects.get(user=user).identity_provider == policy
    # Strong (SITHS): no TOTP asked and none required; the start page answers.
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/samordning/"
    assert client.get("/samordning/").status_code == 200


def test_weak_sign_in_asks_for_our_own_second_factor(client, saml_idp):
    connect_saml(saml_idp)
    UserFactory(email="anna.samordnare@regionexempel.se", roles=[Role.COORDINATOR], mfa=True)
    saml_idp.context = PASSWORD_CONTEXT
    response = saml_sign_in(client, saml_idp, follow=False)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user(client) is None


def test_weak_sign_in_without_totp_must_set_it_up(client, saml_idp):
    connect_saml(saml_idp)
    saml_idp.context = PASSWORD_CONTEXT
    saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is not None
    response = client.get("/samordning/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_strong_sign_in_needs_no_totp_even_when_the_person_has_one(client, saml_idp):
    connect_saml(saml_idp)
    UserFactory(email="anna.samordnare@regionexempel.se", roles=[Role.COORDINATOR], mfa=True)
    saml_sign_in(client, saml_idp)
    assert signed_in_user(client).email == "anna.samordnare@regionexempel.se"
    assert client.get("/samordning/").status_code == 200


def test_unmapped_person_gets_no_staff_role_but_may_join_a_unit(client, saml_idp):
    connect_saml(saml_idp, allow_unit_staff=True)
    saml_idp.groups = ["Alla-anstallda"]
    saml_sign_in(client, saml_idp)
    user = signed_in_user(client)
    assert set(user.roles) == {Role.UNIT_STAFF}
    assert not user.is_staff_role


def test_unmapped_person_is_refused_when_the_provider_is_staff_only(client, saml_idp):
    connect_saml(saml_idp, allow_unit_staff=False)
    saml_idp.groups = ["Alla-anstallda"]
    response = saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is None
    assert "inte gett dig någon roll" in response.content.decode()
    assert [r["reason"] for r in refusals()] == ["no_role"]
    assert not User.objects.filter(email="anna.samordnare@regionexempel.se").exists()


def test_role_changes_at_the_idp_take_effect_at_the_next_sign_in(client, saml_idp):
    connect_saml(saml_idp)
    saml_sign_in(client, saml_idp)
    client.logout()
    saml_idp.groups = ["LB-Ekonomi"]
    saml_sign_in(client, saml_idp)
    assert set(signed_in_user(client).roles) == {Role.FINANCE}


def test_group_removed_since_last_time_is_refused_and_logged(client, saml_idp):
    connect_saml(saml_idp)
    saml_sign_in(client, saml_idp)
    user = signed_in_user(client)
    client.logout()
    saml_idp.groups = []
    response = saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is None
    assert "inte längre någon roll" in response.content.decode()
    assert [r["reason"] for r in refusals()] == ["group_removed"]
    user.__dict__.pop("roles", None)
    assert set(user.roles) == set()


def test_roles_given_by_hand_are_kept(client, saml_idp):
    connect_saml(saml_idp)
    UserFactory(email="anna.samordnare@regionexempel.se", roles=[Role.ADMINISTRATOR], mfa=True)
    saml_idp.groups = []
    saml_sign_in(client, saml_idp)
    assert set(signed_in_user(client).roles) == {Role.ADMINISTRATOR}


def test_address_outside_the_providers_domains_is_refused(client, saml_idp):
    """A municipality's IdP must never sign in someone at the region, even with the right address."""
    connect_saml(saml_idp, domains="kommunen.se")
    UserFactory(email="anna.samordnare@regionexempel.se", roles=[Role.COORDINATOR], mfa=True)
    saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is None
    assert [r["reason"] for r in refusals()] == ["email_outside_domains"]


def test_bad_signature_is_refused(client, saml_idp, tmp_path):
    connect_saml(saml_idp)
    key, cert = make_keypair("Forger")
    (tmp_path / "forger.key").write_text(key)
    (tmp_path / "forger.crt").write_text(cert)
    saml_idp.sign_with = (tmp_path / "forger.key", tmp_path / "forger.crt")
    response = saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert "Inloggningen misslyckades" in response.content.decode()
    assert [r["reason"] for r in refusals()] == ["provider_error"]


def test_wrong_audience_is_refused(client, saml_idp):
    connect_saml(saml_idp)
    saml_idp.audience = OTHER_SP
    saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert [r["reason"] for r in refusals()] == ["provider_error"]


def test_expired_assertion_is_refused(client, saml_idp, monkeypatch):
    connect_saml(saml_idp)
    location = saml_start(client)
    from urllib.request import urlopen

    urlopen(location, timeout=10).close()  # noqa: S310 - the test's own IdP
    acs, fields = saml_idp.last_post
    real_now = OneLogin_Saml2_Utils.now
    monkeypatch.setattr(OneLogin_Saml2_Utils, "now", staticmethod(lambda: real_now() + 3600))
    post_to_acs(client, acs, fields)
    assert signed_in_user(client) is None
    assert [r["reason"] for r in refusals()] == ["provider_error"]


def test_replayed_assertion_is_refused(client, saml_idp, client_factory=None):
    from django.test import Client

    connect_saml(saml_idp)
    saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is not None
    acs, fields = saml_idp.last_post
    thief = Client(HTTP_HOST="testserver")
    post_to_acs(thief, acs, fields)
    assert signed_in_user(thief) is None
    # The owner, signed out, cannot use it twice either.
    client.logout()
    post_to_acs(client, acs, fields)
    assert signed_in_user(client) is None


def test_unknown_idp_is_refused(client, saml_idp):
    assert client.post("/accounts/saml/okand/login/", {"process": "login"}).status_code == 404


def test_provider_without_a_policy_is_refused(client, saml_idp):
    policy = connect_saml(saml_idp)
    policy.is_active = False
    policy.save()
    saml_sign_in(client, saml_idp)
    assert signed_in_user(client) is None
    assert [r["reason"] for r in refusals()] == ["unknown_provider"]


def test_sign_out_ends_the_session_and_logs_out_at_the_idp(client, saml_idp):
    connect_saml(saml_idp)
    saml_sign_in(client, saml_idp)
    response = client.post("/accounts/logout/")
    assert signed_in_user(client) is None
    assert response.status_code == 302
    assert response["Location"].startswith(f"{saml_idp.base}/idp/slo?SAMLRequest=")


def test_local_passwords_can_be_turned_off_except_for_break_glass(client, saml_idp, settings):
    from tests.factories import PASSWORD

    settings.LOCAL_PASSWORDS_BREAK_GLASS_ONLY = True
    connect_saml(saml_idp)
    UserFactory(email="samordnare@regionexempel.se", roles=[Role.COORDINATOR], mfa=True)
    response = client.post("/accounts/login/", {"login": "samordnare@regionexempel.se", "password": PASSWORD}, follow=True)
    assert signed_in_user(client) is None
    assert "Logga in med ditt organisationskonto" in response.content.decode()
    UserFactory(email="nod@regionexempel.se", roles=[Role.ADMINISTRATOR], mfa=True, break_glass=True)
    response = client.post("/accounts/login/", {"login": "nod@regionexempel.se", "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"


def test_participants_still_sign_in_by_code_when_passwords_are_off(client, saml_idp, settings, resource_user):
    settings.LOCAL_PASSWORDS_BREAK_GLASS_ONLY = True
    connect_saml(saml_idp)
    response = client.post("/accounts/login/code/", {"email": resource_user.email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/confirm/"


__all__ = ["TOTP_SECRET"]


def test_only_sign_in_pages_may_send_forms_on_to_the_idp(client, saml_idp):
    connect_saml(saml_idp)
    login_csp = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(d for d in login_csp.split(";") if d.strip().startswith("form-action"))
    assert saml_idp.base in form_action
    home_csp = client.get("/")["Content-Security-Policy"]
    assert saml_idp.base not in home_csp
