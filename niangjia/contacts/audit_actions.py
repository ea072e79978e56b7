"""The audit actions of contacts: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    CONTACT_EVENT_CREATE = "contact_event.create"
    CONTACT_PLAN_CREATE = "contact_plan.create"
    CONTACT_PLAN_UPDATE = "contact_plan.update"
    CONTACT_TARGET_ADD = "contact_target.add"
    CONTACT_TARGET_REMOVE = "contact_target.remove"
