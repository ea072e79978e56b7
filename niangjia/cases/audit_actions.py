"""The audit actions of cases: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    CASE_APPROVAL_APPROVE = "case.approval.approve"
    CASE_APPROVAL_REQUEST = "case.approval.request"
    CASE_APPROVAL_RETURN = "case.approval.return"
    CASE_ASSESS = "case.assess"
    CASE_CONSENT = "case.consent"
    CASE_ESCALATE = "case.escalate"
    CASE_EXPORT = "case.export"
    CASE_FOLLOW_UP = "case.follow_up"
    CASE_FROM_NEED = "case.from_need"
    CASE_LIST = "case.list"
    CASE_OPEN = "case.open"
    CASE_OVERRIDE = "case.override"
    CASE_READ = "case.read"
    CASE_REASSIGN = "case.reassign"
    CASE_REFER = "case.refer"
    CASE_REFERRAL_UPDATE = "case.referral_update"
    CASE_TRANSITION = "case.transition"
    CASE_UPDATE = "case.update"
    HOTLINE_ASSIGN = "hotline.assign"
    HOTLINE_DISMISS = "hotline.dismiss"
    HOTLINE_RECEIVE = "hotline.receive"
    HOTLINE_TO_CASE = "hotline.to_case"
    HOTLINE_TO_NEED = "hotline.to_need"
