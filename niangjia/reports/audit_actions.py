"""The audit actions of reports: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    FORM_CREATE = "reports.form.create"
    REPORTS_APPROVE = "reports.approve"
    REPORTS_OPEN = "reports.open"
    REPORTS_REMIND = "reports.remind"
    REPORTS_RETURN = "reports.return"
    REPORTS_SAVE = "reports.save"
    REPORTS_SUBMIT = "reports.submit"
    REPORTS_UNAPPROVE = "reports.unapprove"
