from .audit import AuditEntry
from .users import RoleGrant, User

__all__ = ["AuditEntry", "RoleGrant", "User"]
