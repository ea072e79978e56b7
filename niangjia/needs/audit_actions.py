"""The audit actions of needs: the strings its audit rows store, declared once (core.audit.record
refuses any other). A value is never renamed: the rows are append-only and hash-chained."""

from niangjia.core.audit import AuditAction, declare


@declare
class Action(AuditAction):
    NEED_ASSIGN = "need.assign"
    NEED_CLOSE = "need.close"
    NEED_ESCALATE = "need.escalate"
    NEED_RATE = "need.rate"
    NEED_REFER = "need.refer"
    NEED_REGISTER = "need.register"
    NEED_RESOLVE = "need.resolve"
    NEED_START = "need.start"
    NEED_SUBMIT_PUBLIC = "need.submit_public"
    NEED_UPDATE = "need.update"
    ORDER_ACCEPT = "needs.order.accept"
    ORDER_CANCEL = "needs.order.cancel"
    ORDER_CREATE = "needs.order.create"
    ORDER_DECLINE = "needs.order.decline"
    ORDER_DELIVER = "needs.order.deliver"
    ORDER_RATE = "needs.order.rate"
    PROVIDER_CREATE = "needs.provider.create"
    PROVIDER_LINKS = "needs.provider.links"
    PROVIDER_UPDATE = "needs.provider.update"
    SERVICE_CREATE = "needs.service.create"
    SERVICE_UPDATE = "needs.service.update"
