"""The audit log: every create, update and delete by staff, with before and after.

Changes are caught where they happen, in the ORM's save, delete and many-to-many signals,
so what a member of staff does through the admin, a page, the API or a command reaches the
log however it was made. Bulk writes (`QuerySet.update`, `bulk_create`) send no signals:
a service that makes staff changes that way calls `record()` itself. Who is acting comes
from `current_actor`, set per request by AuditActorMiddleware and by `acting_as()` in
commands and tasks. Changes with no staff actor (a resident answering a survey, the demo
loader) are not staff changes and are not logged here.

The log is kept forever and cannot be edited, so it must not hold what it need not:
secrets and the personal fields each manifest names (`personal_fields`) are recorded only
as "[redacted]", or "[redacted: changed]" when they changed; such records are labelled
by type and id, not by a person's name.
"""

import contextlib
import contextvars
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .registry import registry

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("townhall_actor", default=None)
_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("townhall_ip", default=None)

REDACTED = "[redacted]"
REDACTED_CHANGED = "[redacted: changed]"
SENSITIVE_FIELDS = frozenset({"password", "secret", "token", "key_hash", "token_hash"})


def current_actor() -> Any:
    return _actor.get()


@contextlib.contextmanager
def acting_as(actor: Any, ip_address: str | None = None) -> Iterator[None]:
    """Attribute the changes made inside the block to `actor`."""
    actor_token = _actor.set(actor)
    ip_token = _ip.set(ip_address)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _ip.reset(ip_token)


def is_staff_actor(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_staff or actor.is_superuser:
        return True
    from .permissions import roles_of

    return bool(roles_of(actor) & registry.staff_roles())


def _hidden_fields(instance: models.Model) -> frozenset[str]:
    return SENSITIVE_FIELDS | registry.personal_fields(instance._meta.label_lower)


def _hidden_digests(instance: models.Model) -> dict[str, str]:
    """Digests of the hidden fields' values, so a change can be noted without storing them."""
    hidden = _hidden_fields(instance)
    return {
        field.name: hashlib.sha256(str(field.value_from_object(instance)).encode()).hexdigest()
        for field in instance._meta.concrete_fields
        if field.name in hidden
    }


def _label(instance: models.Model) -> str:
    if registry.personal_fields(instance._meta.label_lower):
        return f"{instance._meta.verbose_name} {instance.pk}"
    return str(instance)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values as JSON-safe data, secrets and personal data redacted."""
    hidden = _hidden_fields(instance)
    data = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if field.name in hidden:
            value = REDACTED if value else value
        elif isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname if field.is_relation else field.name] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Any,
    operation: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    action: str = "",
) -> None:
    """Append one entry to the audit log.

    Services call this directly for actions that are not a plain save (publishing,
    hiding a comment, exporting responses); saves and deletes are recorded by signal.
    """
    from .models import AuditEntry

    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_label = object_label or _label(instance)[:255]
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "email", "") or str(actor or "system"))[:254],
        operation=operation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        before=before,
        after=after,
        ip_address=_ip.get(),
    )


def _audited(sender: type[models.Model]) -> bool:
    return registry.is_audited(sender._meta.label_lower) and is_staff_actor(current_actor())


def _remember_before(sender, instance, raw=False, **kwargs) -> None:
    if raw or not _audited(sender) or instance.pk is None:
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(previous) if previous is not None else None
    instance._audit_hidden = _hidden_digests(previous) if previous is not None else {}


def _record_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not _audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    hidden_before = getattr(instance, "_audit_hidden", {})
    for name, digest in _hidden_digests(instance).items():
        if not created and hidden_before.get(name) not in (None, digest):
            after[name] = REDACTED_CHANGED
    if before == after:
        return
    record(
        actor=current_actor(),
        operation="create" if created else "update",
        instance=instance,
        before=before,
        after=after,
    )


def _record_delete(sender, instance, **kwargs) -> None:
    if not _audited(sender):
        return
    record(actor=current_actor(), operation="delete", instance=instance, before=snapshot(instance))


def _m2m_field_name(through: type[models.Model], instance: models.Model) -> str:
    for field in instance._meta.get_fields():
        if field.many_to_many and getattr(field.remote_field, "through", None) is through:
            return field.name
        if field.many_to_many and getattr(field, "through", None) is through:
            return field.get_accessor_name() if field.auto_created else field.name
    return through._meta.model_name


def _record_m2m(sender, instance, action, model, pk_set, **kwargs) -> None:
    """Record staff adding or removing links, such as giving a person a role."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not registry.is_audited(instance._meta.label_lower) or not is_staff_actor(current_actor()):
        return
    field = _m2m_field_name(sender, instance)
    if action == "pre_clear":
        pk_set = set(getattr(instance, field).values_list("pk", flat=True))
    if not pk_set:
        return
    names = sorted(str(obj) for obj in model._base_manager.filter(pk__in=pk_set))
    added = action == "post_add"
    record(
        actor=current_actor(),
        operation="update",
        action=f"{field}.{'add' if added else 'remove'}",
        instance=instance,
        before=None if added else {field: names},
        after={field: names} if added else None,
    )


def connect_signals() -> None:
    pre_save.connect(_remember_before, dispatch_uid="townhall_audit_before")
    post_save.connect(_record_save, dispatch_uid="townhall_audit_save")
    post_delete.connect(_record_delete, dispatch_uid="townhall_audit_delete")
    m2m_changed.connect(_record_m2m, dispatch_uid="townhall_audit_m2m")
