"""Single logout: after our session ends, send the browser to the provider's own sign-out."""

import logging

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.saml.utils import build_auth
from django.conf import settings
from django.utils.http import urlencode

from accounts.sso import session as sso_session

logger = logging.getLogger(__name__)


def single_logout_url(request) -> str | None:
    info = sso_session.remembered(request).get("logout") or {}
    try:
        if info.get("protocol") == "saml":
            return _saml_logout(request, info)
        if info.get("protocol") == "openid_connect":
            return _oidc_logout(request, info)
    except Exception:
        logger.warning("Single logout with the identity provider could not start", exc_info=True)
    return None


def _saml_logout(request, info) -> str | None:
    app = SocialApp.objects.filter(provider="saml", client_id=info.get("org")).first()
    if app is None:
        return None
    idp = app.settings.get("idp", {})
    if not idp.get("slo_url") and not idp.get("metadata_url"):
        return None
    provider = app.get_provider(request)
    auth = build_auth(request, provider)
    if not auth.get_slo_url():
        return None
    return auth.logout(
        return_to=settings.SITE_URL,
        name_id=info.get("name_id"),
        session_index=info.get("session_index"),
        name_id_format=info.get("name_id_format"),
    )


def _oidc_logout(request, info) -> str | None:
    app = SocialApp.objects.filter(provider="openid_connect", provider_id=info.get("provider_id")).first()
    if app is None:
        return None
    provider = app.get_provider(request)
    endpoint = provider.get_oauth2_adapter(request).openid_config.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode({"client_id": app.client_id, "post_logout_redirect_uri": settings.SITE_URL})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


