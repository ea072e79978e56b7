"""The audit actions of awards: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    AWARDS_BALLOT = "awards.ballot"
    AWARDS_FINALIZE = "awards.finalize"
    AWARDS_PHASE = "awards.phase"
    BALLOT_VOID = "awards.ballot.void"
    CONSENT_IN_PERSON = "awards.consent.in_person"
    CONSENT_LINK = "awards.consent.link"
    CONSENT_LINK_SENT = "awards.consent.link_sent"
    EVALUATION_LINKS = "awards.evaluation.links"
    NOMINATION_CREATE = "awards.nomination.create"
    NOMINATION_WITHDRAW = "awards.nomination.withdraw"
    OBJECTION_ANSWER = "awards.objection.answer"
    OBJECTION_FILE = "awards.objection.file"
    QUOTA_SET = "awards.quota.set"
    ROUND_CREATE = "awards.round.create"
    ROUND_UPDATE = "awards.round.update"
    SHORTLIST_ADD = "awards.shortlist.add"
    SHORTLIST_REMOVE = "awards.shortlist.remove"
