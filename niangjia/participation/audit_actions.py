"""The audit actions of participation: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    ACTIVITY_CLOSE_DUE = "participation.activity_close_due"
    ACTIVITY_CREATE = "participation.activity_create"
    ACTIVITY_UPDATE = "participation.activity_update"
    ANSWER_TO_NEED = "participation.answer_to_need"
    ATTENDANCE_MARK = "participation.attendance_mark"
    CHECK_CODE_SEND = "participation.check_code_send"
    CODESIGNER_ADD = "participation.codesigner_add"
    CODESIGNER_REMOVE = "participation.codesigner_remove"
    CONSULTATION_CREATE = "participation.consultation_create"
    CONSULTATION_PUBLISH = "participation.consultation_publish"
    CONSULTATION_UPDATE = "participation.consultation_update"
    IDEA_ADD = "participation.idea_add"
    LINKS_ISSUE = "participation.links_issue"
    PARTICIPATION_REGISTER = "participation.register"
    QUESTION_ADD = "participation.question_add"
    QUESTION_MOVE = "participation.question_move"
    QUESTION_REMOVE = "participation.question_remove"
    QUESTION_UPDATE = "participation.question_update"
    RATING_SUBMIT = "participation.rating_submit"
    REGISTRATION_CANCEL = "participation.registration_cancel"
    RESPONSE_CORRECT = "participation.response_correct"
    RESPONSE_SUBMIT = "participation.response_submit"
    RESPONSE_VOID = "participation.response_void"
    SUGGESTION_PUBLISH = "participation.suggestion_publish"
    SUGGESTION_REPLY = "participation.suggestion_reply"
    SUGGESTION_SUBMIT = "participation.suggestion_submit"
    SUGGESTION_TO_NEED = "participation.suggestion_to_need"
    WAITLIST_PROMOTE = "participation.waitlist_promote"
