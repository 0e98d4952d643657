from .audit import AuditEntry
from .identity import IdentityProvider, RoleMapping
from .users import RoleGrant, User

__all__ = ["AuditEntry", "IdentityProvider", "RoleGrant", "RoleMapping", "User"]
