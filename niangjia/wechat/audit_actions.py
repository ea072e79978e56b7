"""The audit actions of wechat: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    ACCOUNT_CREATE = "wechat.account_create"
    ACCOUNT_UPDATE = "wechat.account_update"
    WECHAT_RECEIVE = "wechat.receive"
