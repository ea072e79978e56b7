"""The audit actions of selection: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    CANDIDATE_APPLY = "candidate.apply"
    CANDIDATE_CREATE = "candidate.create"
    CANDIDATE_ELECT = "candidate.elect"
    CANDIDATE_VET = "candidate.vet"
    CLOSE_CALL = "selection.close_call"
    EXPORT_SHEET = "selection.export_sheet"
    PART_CLOSE = "part.close"
    SCORER_ADD = "scorer.add"
    SCORER_REISSUE = "scorer.reissue"
    SCORER_SEND_LINK = "scorer.send_link"
    SCORES_SUBMIT = "scores.submit"
    SCORE_CORRECT = "score.correct"
    SCORING_DONE = "selection.scoring_done"
    SELECTION_CONFIGURE = "selection.configure"
    SELECTION_CREATE = "selection.create"
    SELECTION_FINISH = "selection.finish"
    SELECTION_UPDATE = "selection.update"
    START_ELECTION = "selection.start_election"
