"""Roles grant actions; scope (core.scope) limits where. Declared as data, checked in one place."""

from .errors import Forbidden

PERMISSIONS = {
    "org.view": "查看组织体系",
    "org.edit": "维护组织、阵地、合作组织",
    "people.view": "查看人员与职务",
    "people.edit": "维护人员与职务",
    "people.reveal": "查看敏感信息（电话、身份证号、地址）",
    "people.import": "批量导入人员",
    "people.merge": "合并重复人员",
    "users.manage": "管理用户、角色与范围",
    "audit.view": "查看审计日志",
    "stats.view": "查看统计",
    "export": "导出 Excel",
    "policy.edit": "修改制度参数",
    "needs.view": "查看需求台账",
    "needs.handle": "登记、受理与办理妇女需求和服务订单",
    "needs.manage": "维护服务目录与服务商、指派需求",
    "cases.view": "查看维权个案数量",
    "cases.handle": "办理维权个案",
    "cases.supervise": "督导维权个案（紧急共享、转办）",
    "hotline.intake": "接听 12338 热线",
    "participation.view": "查看意见征集、意见箱与活动",
    "participation.manage": "组织意见征集、答复意见、管理活动",
    "awards.manage": "组织评选表彰",
    "selection.manage": "组织公开选配",
    "selection.score": "评审打分",
    "duties.view": "查看履职清单进度",
    "duties.manage": "下发履职清单、提醒与述职评议",
    "duties.record": "记录本人履职",
    "fieldwork.view": "查看下基层情况",
    "fieldwork.manage": "设定下基层规则",
    "fieldwork.record": "记录本人蹲点、日记、调研报告与建议",
    "contacts.view": "查看直接联系情况（数量）",
    "contacts.manage": "制定直接联系计划",
    "contacts.record": "记录本人直接联系",
    "reform.view": "查看改革推进",
    "reform.report": "报告改革措施进展",
    "reform.manage": "维护改革文件、措施、方案与试点",
    "reports.view": "查看统计报表",
    "reports.fill": "填报统计报表",
    "reports.review": "审核下级统计报表（退回、通过、撤销通过）",
    "reports.manage": "制定统计报表",
}

REFORM_AND_REPORTS = frozenset({"reform.view", "reform.report", "reform.manage", "reports.view", "reports.fill",
                                "reports.review", "reports.manage"})

CADRE_WORK_OWN = frozenset({"duties.record", "fieldwork.record", "contacts.record"})
CADRE_WORK_VIEW = frozenset({"duties.view", "fieldwork.view", "contacts.view"})
SERVICE_WORK = frozenset({"needs.view", "needs.handle", "participation.view", "participation.manage"})

ROLES: dict[str, tuple[str, frozenset[str]]] = {
    "admin": ("系统管理员", frozenset(PERMISSIONS)),
    "leader": (
        "妇联领导",
        frozenset({"org.view", "org.edit", "people.view", "people.edit", "people.reveal", "people.merge",
                   "stats.view", "export", "policy.edit", "duties.manage", "fieldwork.manage", "contacts.manage",
                   "needs.manage", "cases.view", "awards.manage", "selection.manage"})
        | CADRE_WORK_OWN | CADRE_WORK_VIEW | SERVICE_WORK | REFORM_AND_REPORTS,
    ),
    "cadre": (
        "机关干部",
        frozenset({"org.view", "org.edit", "people.view", "people.edit", "people.reveal", "people.import",
                   "people.merge", "stats.view", "export", "duties.manage", "needs.manage", "cases.view",
                   "awards.manage", "selection.manage"}) | CADRE_WORK_OWN | CADRE_WORK_VIEW | SERVICE_WORK
        | REFORM_AND_REPORTS,
    ),
    "executive": ("执委", frozenset({"org.view", "people.view", "stats.view", "reports.view", "reports.fill"})
                  | CADRE_WORK_OWN),
    "case_worker": ("维权个案工作者", frozenset({"org.view", "people.view", "people.edit", "people.reveal", "cases.view",
                                          "cases.handle", "needs.view", "needs.handle"})),
    "case_supervisor": ("维权督导", frozenset({"org.view", "people.view", "people.edit", "people.reveal", "cases.view",
                                          "cases.handle", "cases.supervise", "needs.view", "needs.handle"})),
    "hotline_operator": (
        "12338 热线接线员",
        frozenset({"org.view", "people.view", "people.edit", "people.reveal", "hotline.intake", "cases.view",
                   "needs.view", "needs.handle"}),
    ),
    "statistician": ("统计员", frozenset({"org.view", "people.view", "stats.view", "export", "needs.view", "cases.view",
                                        "participation.view", "reform.view", "reports.view", "reports.fill",
                                        "reports.review", "reports.manage"}) | CADRE_WORK_VIEW),
    "reviewer": ("评审员", frozenset({"selection.score"})),
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
        raise Forbidden(f"您没有“{PERMISSIONS.get(perm, perm)}”的权限")


def can_grant(actor, roles) -> bool:
    """A role is grantable when every permission it carries is one the actor holds herself."""
    return bool(getattr(actor, "is_superuser", False)) or permissions_of(roles) <= permissions_of(actor.roles)


def grantable_roles(actor) -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _) in ROLES.items() if can_grant(actor, [code])]
