"""Roles from an identity provider's groups: computed at every sign-in, never kept past it."""

from django.db import transaction

from accounts.enums import Role
from accounts.models import IdentityProvider, RoleGrant, User


def mapped_roles(policy: IdentityProvider, groups: frozenset[str]) -> frozenset[str]:
    return frozenset(m.role for m in policy.role_mappings.all() if m.group in groups)


@transaction.atomic
def sync_roles(user: User, policy: IdentityProvider, roles: frozenset[str], *, hsa_id: str = "") -> None:
    """Give the roles the groups give now and take back those this provider gave before.

    Roles granted by hand (an administrator, the application form) are left alone. A person
    whom the provider gives no staff role, and who has no role at all, becomes care-unit staff
    (when the provider allows it) and asks to join a unit as anyone else does.
    """
    current = {g.role: g for g in RoleGrant.objects.select_for_update().filter(user=user)}
    for role, grant in current.items():
        if grant.identity_provider_id == policy.pk and role not in roles:
            grant.delete()
    for role in roles:
        if role not in current:
            RoleGrant.objects.create(user=user, role=role, identity_provider=policy)
    if not roles and policy.allow_unit_staff and not RoleGrant.objects.filter(user=user).exists():
        RoleGrant.objects.create(user=user, role=Role.UNIT_STAFF)
    if hsa_id and user.hsa_id != hsa_id:
        user.hsa_id = hsa_id
        user.save(update_fields=["hsa_id"])
    user.__dict__.pop("roles", None)
