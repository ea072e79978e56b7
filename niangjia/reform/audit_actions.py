"""The audit actions of reform: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    DOCUMENT_CREATE = "reform.document.create"
    DOCUMENT_UPDATE = "reform.document.update"
    ENTRY_EVIDENCE = "reform.entry.evidence"
    ENTRY_MILESTONE = "reform.entry.milestone"
    ENTRY_NOTE = "reform.entry.note"
    MEASURE_CREATE = "reform.measure.create"
    MEASURE_DELAY = "reform.measure.delay"
    MEASURE_FINISH = "reform.measure.finish"
    MEASURE_OVERDUE = "reform.measure.overdue"
    MEASURE_REOPEN = "reform.measure.reopen"
    MEASURE_RESPONSIBLE = "reform.measure.responsible"
    MEASURE_START = "reform.measure.start"
    MEASURE_UPDATE = "reform.measure.update"
    PILOT_CREATE = "reform.pilot.create"
    PILOT_MEMBERS = "reform.pilot.members"
    PILOT_UPDATE = "reform.pilot.update"
    PLAN_APPROVE = "reform.plan.approve"
    PLAN_CREATE = "reform.plan.create"
    PLAN_ISSUE = "reform.plan.issue"
    PLAN_TO_SIGNING = "reform.plan.to_signing"
