"""What the session keeps about a sign-in through an identity provider.

Set while the sign-in is under way (pre_social_login), read by the second-factor stage and
the staff-MFA middleware ("was it strong?") and by sign-out (single logout). A sign-in with
a password removes it, so a strong organisation sign-in never carries over to another one.
"""

KEY = "sso"


def remember(request, *, policy, claims, roles, strong: bool) -> None:
    request.session[KEY] = {
        "policy": policy.pk,
        "roles": sorted(roles),
        "hsa_id": claims.hsa_id,
        "strong": strong,
        "logout": claims.logout,
    }


def remembered(request) -> dict:
    return request.session.get(KEY) or {}


def forget(request) -> None:
    request.session.pop(KEY, None)


def is_strong(request) -> bool:
    return bool(remembered(request).get("strong"))
