"""The audit actions of org: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    FEDERATION_ACTIVATE = "federation.activate"
    FEDERATION_CREATE = "federation.create"
    FEDERATION_DEACTIVATE = "federation.deactivate"
    FEDERATION_MOVE = "federation.move"
    FEDERATION_UPDATE = "federation.update"
    ORGANISATION_CREATE = "organisation.create"
    ORGANISATION_UPDATE = "organisation.update"
    SITE_CREATE = "site.create"
    SITE_UPDATE = "site.update"
    TOWNSHIP_REGIONALISE = "township.regionalise"
    TOWNSHIP_REGIONALISE_AMEND = "township.regionalise.amend"
    TREE_IMPORT = "tree.import"
    TREE_IMPORT_DISCARD = "tree.import_discard"
    TREE_IMPORT_UPLOAD = "tree.import_upload"
    VILLAGE_CONVERT = "village.convert"
    QUOTA_RECORD = "quota.record"
    QUOTA_UPDATE = "quota.update"
