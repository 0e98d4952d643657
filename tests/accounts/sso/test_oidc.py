"""Round trips against an OpenID Connect provider the test starts on loopback (ID tokens signed with a test key)."""

import pytest
from django.contrib.auth import get_user_model

from accounts.enums import Role
from accounts.models import AuditEntry
from tests.accounts.sso.conftest import connect_oidc
from tests.accounts.sso.flows import oidc_sign_in
from tests.accounts.sso.keys import make_keypair
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusal_reasons():
    return [d["reason"] for d in AuditEntry.objects.filter(action="accounts.sso.refused").values_list("data", flat=True)]


def test_first_sign_in_with_mfa_gives_the_mapped_role_without_our_totp(client, oidc_op):
    connect_oidc(oidc_op)
    response = oidc_sign_in(client, oidc_op)
    user = signed_in_user(client)
    assert user.email == "erik.ekonomi@regionexempel.se"
    assert user.full_name == "Erik Ekonomi"
    assert set(user.roles) == {Role.FINANCE}
    assert response.redirect_chain[-1][0] == "/ekonomi/"
    assert client.get("/ekonomi/").status_code == 200


def test_weak_sign_in_asks_for_our_totp(client, oidc_op):
    connect_oidc(oidc_op)
    UserFactory(email="erik.ekonomi@regionexempel.se", roles=[Role.FINANCE], mfa=True)
    oidc_op.acr = "pwd"
    response = oidc_sign_in(client, oidc_op, follow=False)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user(client) is None


def test_forged_id_token_is_refused(client, oidc_op):
    from cryptography.hazmat.primitives import serialization

    connect_oidc(oidc_op)
    forged_pem, _cert = make_keypair("Forger")
    oidc_op.key = serialization.load_pem_private_key(forged_pem.encode(), password=None)
    published = oidc_op.key.public_key()
    real_pem, _ = make_keypair("Real")
    # The provider publishes one key but the token is signed with another.
    oidc_op.published_key = serialization.load_pem_private_key(real_pem.encode(), password=None).public_key()
    assert published is not oidc_op.published_key
    oidc_sign_in(client, oidc_op)
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert refusal_reasons() == ["provider_error"]


def test_wrong_audience_is_refused(client, oidc_op):
    connect_oidc(oidc_op)
    oidc_op.audience = "another-client"
    oidc_sign_in(client, oidc_op)
    assert signed_in_user(client) is None
    assert refusal_reasons() == ["provider_error"]


def test_expired_id_token_is_refused(client, oidc_op):
    connect_oidc(oidc_op)
    oidc_op.expires_in = -600
    oidc_sign_in(client, oidc_op)
    assert signed_in_user(client) is None
    assert refusal_reasons() == ["provider_error"]


def test_unknown_provider_is_404(client, oidc_op):
    assert client.post("/accounts/oidc/okand/login/", {"process": "login"}).status_code == 404


def test_group_removed_is_refused(client, oidc_op):
    connect_oidc(oidc_op)
    oidc_sign_in(client, oidc_op)
    client.logout()
    oidc_op.claims["groups"] = []
    oidc_sign_in(client, oidc_op)
    assert signed_in_user(client) is None
    assert refusal_reasons() == ["group_removed"]


def test_sign_out_goes_to_the_providers_end_session(client, oidc_op):
    connect_oidc(oidc_op)
    oidc_sign_in(client, oidc_op)
    response = client.post("/accounts/logout/")
    assert signed_in_user(client) is None
    assert response["Location"].startswith(f"{oidc_op.base}/logout?client_id=levande-bibliotek")
