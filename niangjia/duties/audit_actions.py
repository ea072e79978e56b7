"""The audit actions of duties: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    ASSIGNMENT_CANCEL = "duties.assignment.cancel"
    ASSIGNMENT_HAND_OUT = "duties.assignment.hand_out"
    EVIDENCE_RECORD = "duties.evidence.record"
    EVIDENCE_WITHDRAW = "duties.evidence.withdraw"
    ITEM_ADD = "duties.item.add"
    ITEM_UPDATE = "duties.item.update"
    REMINDER_SEND = "duties.reminder.send"
    REVIEW_RECORD = "duties.review.record"
    REVIEW_UPDATE = "duties.review.update"
    TEMPLATE_CREATE = "duties.template.create"
    TEMPLATE_UPDATE = "duties.template.update"
