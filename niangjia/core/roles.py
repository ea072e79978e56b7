"""Roles grant actions; scope (core.scope) limits where. Declared as data, checked in one place."""

from django.utils.translation import gettext, gettext_lazy

from .errors import Forbidden

PERMISSIONS = {
    "org.view": gettext_lazy("查看组织体系"),
    "org.edit": gettext_lazy("维护组织、阵地、合作组织"),
    "people.view": gettext_lazy("查看人员与职务"),
    "people.edit": gettext_lazy("维护人员与职务"),
    "people.reveal": gettext_lazy("查看敏感信息（电话、身份证号、地址）"),
    "people.import": gettext_lazy("批量导入人员"),
    "people.merge": gettext_lazy("合并重复人员"),
    "users.manage": gettext_lazy("管理用户、角色与范围"),
    "audit.view": gettext_lazy("查看审计日志"),
    "stats.view": gettext_lazy("查看统计"),
    "export": gettext_lazy("导出 Excel"),
    "policy.edit": gettext_lazy("修改制度参数"),
    "needs.view": gettext_lazy("查看需求台账"),
    "needs.handle": gettext_lazy("登记、受理与办理妇女需求和服务订单"),
    "needs.manage": gettext_lazy("维护服务目录与服务商、指派需求"),
    "cases.view": gettext_lazy("查看维权个案数量"),
    "cases.handle": gettext_lazy("办理维权个案"),
    "cases.supervise": gettext_lazy("督导维权个案（紧急共享、转办）"),
    "hotline.intake": gettext_lazy("接听 12338 热线"),
    "participation.view": gettext_lazy("查看意见征集、意见箱与活动"),
    "participation.manage": gettext_lazy("组织意见征集、答复意见、管理活动"),
    "awards.manage": gettext_lazy("组织评选表彰"),
    "selection.manage": gettext_lazy("组织公开选配"),
    "selection.score": gettext_lazy("评审打分"),
    "duties.view": gettext_lazy("查看履职清单进度"),
    "duties.manage": gettext_lazy("下发履职清单、提醒与述职评议"),
    "duties.record": gettext_lazy("记录本人履职"),
    "fieldwork.view": gettext_lazy("查看下基层情况"),
    "fieldwork.manage": gettext_lazy("设定下基层规则"),
    "fieldwork.record": gettext_lazy("记录本人蹲点、日记、调研报告与建议"),
    "contacts.view": gettext_lazy("查看直接联系情况（数量）"),
    "contacts.manage": gettext_lazy("制定直接联系计划"),
    "contacts.record": gettext_lazy("记录本人直接联系"),
    "reform.view": gettext_lazy("查看改革推进"),
    "reform.report": gettext_lazy("报告改革措施进展"),
    "reform.manage": gettext_lazy("维护改革文件、措施、方案与试点"),
    "reports.view": gettext_lazy("查看统计报表"),
    "reports.fill": gettext_lazy("填报统计报表"),
    "reports.review": gettext_lazy("审核下级统计报表（退回、通过、撤销通过）"),
    "reports.manage": gettext_lazy("制定统计报表"),
}

REFORM_AND_REPORTS = frozenset({"reform.view", "reform.report", "reform.manage", "reports.view", "reports.fill",
                                "reports.review", "reports.manage"})

CADRE_WORK_OWN = frozenset({"duties.record", "fieldwork.record", "contacts.record"})
CADRE_WORK_VIEW = frozenset({"duties.view", "fieldwork.view", "contacts.view"})
SERVICE_WORK = frozenset({"needs.view", "needs.handle", "participation.view", "participation.manage"})

ROLES: dict[str, tuple[str, frozenset[str]]] = {
    "admin": (gettext_lazy("系统管理员"), frozenset(PERMISSIONS)),
    "leader": (
        gettext_lazy("妇联领导"),
        frozenset({"org.view", "org.edit", "people.view", "people.edit", "people.reveal", "people.merge",
                   "stats.view", "export", "policy.edit", "duties.manage", "fieldwork.manage", "contacts.manage",
                   "needs.manage", "cases.view", "awards.manage", "selection.manage"})
        | CADRE_WORK_OWN | CADRE_WORK_VIEW | SERVICE_WORK | REFORM_AND_REPORTS,
    ),
    "cadre": (
        gettext_lazy("机关干部"),
        frozenset({"org.view", "org.edit", "people.view", "people.edit", "people.reveal", "people.import",
                   "people.merge", "stats.view", "export", "duties.manage", "needs.manage", "cases.view",
                   "awards.manage", "selection.manage"}) | CADRE_WORK_OWN | CADRE_WORK_VIEW | SERVICE_WORK
        | REFORM_AND_REPORTS,
    ),
    "executive": (gettext_lazy("执委"), frozenset({"org.view", "people.view", "stats.view", "reports.view", "reports.fill"})
                  | CADRE_WORK_OWN),
    "case_worker": (gettext_lazy("维权个案工作者"), frozenset({"org.view", "people.view", "people.edit", "people.reveal", "cases.view",
                                          "cases.handle", "needs.view", "needs.handle"})),
    "case_supervisor": (gettext_lazy("维权督导"), frozenset({"org.view", "people.view", "people.edit", "people.reveal", "cases.view",
                                          "cases.handle", "cases.supervise", "needs.view", "needs.handle"})),
    "hotline_operator": (
        gettext_lazy("12338 热线接线员"),
        frozenset({"org.view", "people.view", "people.edit", "people.reveal", "hotline.intake", "cases.view",
                   "needs.view", "needs.handle"}),
    ),
    "statistician": (gettext_lazy("统计员"), frozenset({"org.view", "people.view", "stats.view", "export", "needs.view", "cases.view",
                                        "participation.view", "reform.view", "reports.view", "reports.fill",
                                        "reports.review", "reports.manage"}) | CADRE_WORK_VIEW),
    "reviewer": (gettext_lazy("评审员"), frozenset({"selection.score"})),
}

ROLE_CHOICES = [(code, name) for code, (name, _) in ROLES.items()]


def permissions_of(roles) -> frozenset[str]:
    perms: set[str] = set()
    for role in roles or ():
        perms |= ROLES.get(role, ("", frozenset()))[1]
    return frozenset(perms)


def has_perm(user, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return perm in permissions_of(user.roles)


def require(user, perm: str) -> None:
    """Refuse with 403 unless the user's roles grant `perm`."""
    if not has_perm(user, perm):
        raise Forbidden(gettext("您没有“{value}”的权限").format(value=PERMISSIONS.get(perm, perm)))


def can_grant(actor, roles) -> bool:
    """A role is grantable when every permission it carries is one the actor holds herself."""
    return bool(getattr(actor, "is_superuser", False)) or permissions_of(roles) <= permissions_of(actor.roles)


def grantable_roles(actor) -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _) in ROLES.items() if can_grant(actor, [code])]
