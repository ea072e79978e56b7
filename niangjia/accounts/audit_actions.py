"""The audit actions of accounts: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    AUDIT_EXPORT = "audit.export"
    LOGIN_FAILED = "login.failed"
    LOGIN_LOCKED = "login.locked"
    LOGIN_REFUSED = "login.refused"
    TOKEN_ISSUE = "token.issue"
    TOKEN_REVOKE = "token.revoke"
    USERS_IMPORT_COMMIT = "users.import_commit"
    USERS_IMPORT_SHEET = "users.import_sheet"
    USERS_IMPORT_UPLOAD = "users.import_upload"
    USER_CREATE = "user.create"
    USER_DISABLE = "user.disable"
    USER_ENABLE = "user.enable"
    USER_LANGUAGE = "user.language"
    USER_PASSWORD = "user.password"
    USER_PASSWORD_CHANGE = "user.password_change"
    USER_UNLOCK = "user.unlock"
    USER_UPDATE_ACCESS = "user.update_access"
