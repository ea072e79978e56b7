"""The audit actions of stats: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    ACTIVITY_CREATE = "activity.create"
    ROLLUP_REBUILD = "rollup.rebuild"
    PIVOT_VIEW_CREATE = "pivot_view.create"
    PIVOT_VIEW_UPDATE = "pivot_view.update"
    PIVOT_VIEW_DELETE = "pivot_view.delete"
