from allauth.mfa.models import Authenticator
from django.db import transaction

from accounts.enums import Role
from accounts.models import RoleGrant, User


def user_has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@transaction.atomic
def grant_role(user: User, role: Role) -> RoleGrant:
    # The grant is audit-logged by accounts.audit.track(RoleGrant), with the request's actor.
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)
    return grant


@transaction.atomic
def revoke_role(user: User, role: Role) -> None:
    RoleGrant.objects.filter(user=user, role=role).delete()
    user.__dict__.pop("roles", None)


def create_user(email: str, *, full_name: str = "", roles=(), password: str | None = None) -> User:
    user = User.objects.create_user(email=email, full_name=full_name, password=password)
    for role in roles:
        grant_role(user, role)
    return user
