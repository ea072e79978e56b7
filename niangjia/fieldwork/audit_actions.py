"""The audit actions of fieldwork: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    DIARY_NEEDS = "fieldwork.diary_needs"
    DIARY_UPDATE = "fieldwork.diary_update"
    DIARY_WRITE = "fieldwork.diary_write"
    PROPOSAL_FILE = "fieldwork.proposal_file"
    PROPOSAL_STATUS = "fieldwork.proposal_status"
    PROPOSAL_UPDATE = "fieldwork.proposal_update"
    REPORT_ATTACH = "fieldwork.report_attach"
    REPORT_FILE = "fieldwork.report_file"
    REPORT_UPDATE = "fieldwork.report_update"
    RULE_ADOPT = "fieldwork.rule_adopt"
    RULE_CREATE = "fieldwork.rule_create"
    RULE_END = "fieldwork.rule_end"
    RULE_UPDATE = "fieldwork.rule_update"
    STAY_CANCEL = "fieldwork.stay_cancel"
    STAY_LOG = "fieldwork.stay_log"
    STAY_PLAN = "fieldwork.stay_plan"
    STAY_UPDATE = "fieldwork.stay_update"
