"""The audit log: `log_action()` for business events, `track()` for every change of personal data.

The request that caused a change (who, from which IP) is kept in a context variable set
by `AuditContextMiddleware`, so services and signal handlers need not pass it around.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from accounts.models import AuditEntry


@dataclass(frozen=True)
class AuditContext:
    actor: Any = None
    ip_address: str | None = None


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("audit_context", default=None)
_NO_CONTEXT = AuditContext()

MASK = "•••"
# Field names whose values never go into the log, in any model.
SECRET_FIELDS = frozenset({"password", "personal_identity_number", "personnummer", "token", "secret", "bank_account"})


def set_context(actor=None, ip_address: str | None = None) -> contextvars.Token:
    return _context.set(AuditContext(actor=actor, ip_address=ip_address))


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)


def current_actor():
    actor = (_context.get() or _NO_CONTEXT).actor
    return actor if getattr(actor, "is_authenticated", False) else None


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def log_action(action: str, *, actor=None, obj: models.Model | None = None, data: dict | None = None) -> AuditEntry:
    """Write one entry, e.g. `log_action("requests.request.declined", obj=req, data={"reason": …})`."""
    ctx = _context.get() or _NO_CONTEXT
    actor = actor if actor is not None else current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=getattr(actor, "email", "") if actor else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=_jsonable(data or {}),
        ip_address=ctx.ip_address,
    )


# --- Automatic change tracking --------------------------------------------------------------


_tracked: dict[type[models.Model], dict] = {}


def _field_names(model, exclude) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name not in exclude and f.attname not in exclude]


def _snapshot(instance) -> dict:
    cfg = _tracked[type(instance)]
    return {name: instance.__dict__.get(name) for name in cfg["fields"]}


def _masked(name: str, cfg: dict) -> bool:
    return name in cfg["masked"] or name in SECRET_FIELDS


def _on_init(sender, instance, **kwargs):
    instance._audit_snapshot = _snapshot(instance) if instance.pk else {}


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw:  # fixtures
        return
    cfg = _tracked[sender]
    new = _snapshot(instance)
    old = getattr(instance, "_audit_snapshot", {}) or {}
    changes = {}
    for name, value in new.items():
        before = None if created else old.get(name)
        if created and value in (None, ""):
            continue
        if not created and before == value:
            continue
        if _masked(name, cfg):
            changes[name] = [MASK if before not in (None, "") else None, MASK if value not in (None, "") else None]
        else:
            changes[name] = [_jsonable(before), _jsonable(value)]
    instance._audit_snapshot = new
    if changes or created:
        verb = "created" if created else "changed"
        log_action(f"{cfg['prefix']}.{verb}", obj=instance, data={"changes": changes})


def _on_delete(sender, instance, **kwargs):
    cfg = _tracked[sender]
    log_action(f"{cfg['prefix']}.deleted", obj=instance, data={})


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "post_clear") or type(instance) not in _tracked:
        return
    cfg = _tracked[type(instance)]
    field = next(f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender)
    if field in cfg["exclude"]:
        return
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    if action != "post_clear" and not pk_set:
        return
    log_action(f"{cfg['prefix']}.changed", obj=instance, data={"changes": {field: {verb: sorted(pk_set or [])}}})


def track(model: type[models.Model], *, exclude=(), masked=(), prefix: str | None = None) -> None:
    """Log every create, change and delete of `model`, with old and new values.

    `masked` fields are logged as changed without their values (identity numbers,
    free-text health details); `exclude` fields are not logged at all.
    """
    exclude = set(exclude) | {"id"}
    _tracked[model] = {
        "fields": _field_names(model, exclude),
        "masked": frozenset(masked),
        "prefix": prefix or model._meta.label_lower,
        "exclude": frozenset(exclude),
    }
    uid = f"audit-{model._meta.label_lower}"
    post_init.connect(_on_init, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_on_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid, weak=False)
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"{uid}-{m2m.name}", weak=False)


def log_profile_view(viewer, resource) -> AuditEntry:
    """Every time staff open an experience resource's profile."""
    return log_action(f"{resource._meta.label_lower}.viewed", actor=viewer, obj=resource)
