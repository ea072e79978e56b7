"""The audit actions of people: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    IMPORT_COMMIT = "people.import_commit"
    IMPORT_DISCARD = "people.import_discard"
    IMPORT_UPLOAD = "people.import_upload"
    PERSON_ACTIVATE = "person.activate"
    PERSON_CREATE = "person.create"
    PERSON_DEACTIVATE = "person.deactivate"
    PERSON_MERGE = "person.merge"
    PERSON_MERGED_INTO = "person.merged_into"
    PERSON_MOVE = "person.move"
    PERSON_UPDATE = "person.update"
    PERSON_UPDATE_SENSITIVE = "person.update_sensitive"
    POST_CREATE = "post.create"
    POST_END = "post.end"
    POST_UPDATE = "post.update"
