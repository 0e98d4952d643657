"""The sign-in pages may send a form on to the organisations' identity providers.

The browser checks a form's redirect against the page's `form-action`, and ours says 'self'.
Only the sign-in pages (under /accounts/) get the connected providers' origins added.
"""

from urllib.parse import urlsplit

from accounts.models import IdentityProvider


def provider_origins() -> list[str]:
    origins = set()
    for policy in IdentityProvider.objects.filter(is_active=True).select_related("app"):
        settings = policy.app.settings or {}
        idp = settings.get("idp") or {}
        for url in (idp.get("sso_url"), idp.get("metadata_url"), settings.get("server_url")):
            if url:
                parts = urlsplit(url)
                if parts.scheme in ("http", "https") and parts.netloc:
                    origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


class SignInFormActionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/accounts/") and response.get("Content-Type", "").startswith("text/html"):
            origins = provider_origins()
            if origins:
                response._csp_update = {"form-action": origins}
        return response
