"""A policy's figures as editable parameters: labels, kinds, parsing and checks (pure, no I/O).

A preset is a dict. Its integers, booleans, strings with known choices and one level of nested
dicts of integers (e.g. needs.deadlines' days per category) are parameters a federation may
set; anything else (checklist items, the kind of a rule, the posts it covers) is structure that
its own app's pages maintain, and is shown read-only here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

# Chinese labels of parameters: "<policy key>.<name>" first, then "<name>" alone.
LABELS = {
    "grace_days": gettext_lazy("宽限天数"), "tolerance_pct": gettext_lazy("容差（%）"), "list_from_month": gettext_lazy("落后名单起始月"),
    "list_from_day": gettext_lazy("落后名单起始日"),
    "standing_grassroots_min_pct": gettext_lazy("常委中基层一线比例下限（%）"),
    "executive_grassroots_min_pct": gettext_lazy("执委中基层一线比例下限（%）"),
    "delegates_grassroots_min_pct": gettext_lazy("代表中基层一线比例下限（%）"),
    "leadership_full_time_max_pct": gettext_lazy("领导班子专职比例上限（%）"),
    "critical_days": gettext_lazy("特急需求办理期限（天）"), "urgent_days": gettext_lazy("紧急需求办理期限（天）"),
    "normal_days": gettext_lazy("一般需求办理期限（天，按类别）"), "default_days": gettext_lazy("其他类别默认期限（天）"),
    "normal_days.rights": gettext_lazy("一般需求·权益维护（天）"), "normal_days.counselling": gettext_lazy("一般需求·心理疏导（天）"),
    "normal_days.hardship": gettext_lazy("一般需求·困难帮扶（天）"),
    "normal_days.legal": gettext_lazy("一般需求·法律服务（天）"), "normal_days.mediation": gettext_lazy("一般需求·婚姻家庭纠纷调解（天）"),
    "normal_days.employment": gettext_lazy("一般需求·创业就业（天）"),
    "normal_days.family_education": gettext_lazy("一般需求·家庭教育（天）"), "normal_days.other": gettext_lazy("一般需求·其他（天）"),
    "min_days": gettext_lazy("最少天数"), "min_place_level": gettext_lazy("蹲点地点最高层级（4=县、5=乡镇、6=村）"),
    "urban_days": gettext_lazy("城市社区蹲点天数"), "rural_days": gettext_lazy("农村蹲点天数"), "paired": gettext_lazy("结对妇女人数"),
    "cadre_days": gettext_lazy("当一天基层干部（天）"), "diaries": gettext_lazy("妇情日记（篇）"), "reports": gettext_lazy("研究问题/调研报告（个）"),
    "count_trip": gettext_lazy("出差计入"), "count_inspection": gettext_lazy("检查调研计入"), "count_home_visit": gettext_lazy("走访入户计入"),
    "count_holiday": gettext_lazy("节假日计入"),
    "county_federation": gettext_lazy("县级妇联（个）"), "group_member": gettext_lazy("团体会员（个）"), "workplace_committee": gettext_lazy("单位妇委会（个）"),
    "firm_or_social_org": gettext_lazy("非公企业或社会组织（个）"), "provincial_executive": gettext_lazy("省妇联执委（名）"),
    "township_federation": gettext_lazy("乡镇（街道）妇联（个）"), "village_federation": gettext_lazy("村（社区）妇联（个）"),
    "representative_woman": gettext_lazy("代表性妇女（名）"),
    "ordinary_women_min": gettext_lazy("普通妇女不少于（名）"), "poor_min": gettext_lazy("其中困难妇女不少于（名）"),
    "new_org_min": gettext_lazy("其中新经济/社会组织妇女不少于（名）"),
    "contacts.not_heard_from.days": gettext_lazy("超过多少天未联系即提醒"),
    "high_hours": gettext_lazy("高风险个案跟进时限（小时）"), "medium_hours": gettext_lazy("中风险个案跟进时限（小时）"),
    "low_hours": gettext_lazy("低风险个案跟进时限（小时，0=不要求）"),
    "vice_chairs": gettext_lazy("兼职副主席（名）"), "standing_members": gettext_lazy("兼职常委（名）"),
    "village_conversion_pct": gettext_lazy("会改联目标（%）"), "township_regionalisation_pct": gettext_lazy("乡镇区域化目标（%）"),
    "hotline_pct": gettext_lazy("县级以上妇联开通12338目标（%）"), "composition_pct": gettext_lazy("组成结构达标目标（%）"),
    "staffing_within_quota_pct": gettext_lazy("不超编目标（%）"),
    "ttl_minutes": gettext_lazy("验证码有效期（分钟）"), "max_attempts": gettext_lazy("最多尝试次数"), "resend_seconds": gettext_lazy("重发间隔（秒）"),
    "awards.notice.days": gettext_lazy("公示期（天）"), "working_days": gettext_lazy("按工作日计算"),
    "org_per_federation": gettext_lazy("每个下级妇联组织推荐名额"), "public_per_round": gettext_lazy("社会推荐名额"),
    "mode": gettext_lazy("评议方式"), "max_choices": gettext_lazy("每人最多选几人"), "code_ttl_minutes": gettext_lazy("验证码有效期（分钟）"),
    "code_attempts": gettext_lazy("验证码最多尝试次数"),
    "weight_project": gettext_lazy("项目评审权重（%）"), "weight_expert": gettext_lazy("专家评审权重（%）"), "weight_jury": gettext_lazy("群众评审团权重（%）"),
    "method_project": gettext_lazy("项目评审计分方法"), "method_expert": gettext_lazy("专家评审计分方法"), "method_jury": gettext_lazy("群众评审团计分方法"),
    "trim_min": gettext_lazy("去掉最高最低分所需最少评分人数"), "tie_break": gettext_lazy("同分排序规则"), "score_max": gettext_lazy("满分"),
}

# Strings a federation may choose among; other strings are structure.
CHOICES = {
    "method_project": (("mean", gettext_lazy("平均分")), ("trimmed", gettext_lazy("去掉一个最高分和一个最低分后平均"))),
    "method_expert": (("mean", gettext_lazy("平均分")), ("trimmed", gettext_lazy("去掉一个最高分和一个最低分后平均"))),
    "method_jury": (("mean", gettext_lazy("平均分")), ("trimmed", gettext_lazy("去掉一个最高分和一个最低分后平均"))),
    "mode": (("votes", gettext_lazy("投票")), ("ratings", gettext_lazy("1–5 分评分"))),
}

MAX_INT = 100_000


@dataclass(frozen=True)
class Param:
    path: str  # "days" or "normal_days.rights"
    label: str
    kind: str  # "int", "bool", "choice"
    choices: tuple = ()


def label_of(policy_key: str, path: str) -> str:
    name = path.split(".")[-1]
    return LABELS.get(f"{policy_key}.{path}") or LABELS.get(path) or LABELS.get(name) or name


def _param(policy_key: str, path: str, value) -> Param | None:
    name = path.split(".")[-1]
    if isinstance(value, bool):
        return Param(path, label_of(policy_key, path), "bool")
    if isinstance(value, int):
        return Param(path, label_of(policy_key, path), "int")
    if isinstance(value, str) and name in CHOICES:
        return Param(path, label_of(policy_key, path), "choice", CHOICES[name])
    return None


def parameters(policy_key: str, preset: dict) -> list[Param]:
    """The editable parameters of a preset, in its own order (nested int dicts flattened)."""
    out = []
    for key, value in preset.items():
        if isinstance(value, dict) and value and all(_param(policy_key, f"{key}.{k}", v) for k, v in value.items()):
            out += [_param(policy_key, f"{key}.{k}", v) for k, v in value.items()]
        elif (p := _param(policy_key, key, value)) is not None:
            out.append(p)
    return out


def structure(policy_key: str, preset: dict) -> list[tuple[str, str]]:
    """The preset's read-only parts as (label, text), for display."""
    editable_roots = {p.path.split(".")[0] for p in parameters(policy_key, preset)}
    return [(label_of(policy_key, k), _text(v)) for k, v in preset.items() if k not in editable_roots]


def _text(value) -> str:
    if isinstance(value, list):
        return "、".join(_text(v) if not isinstance(v, dict) else (v.get("title") or str(v)) for v in value) or gettext("（无）")
    return str(value)


def get_path(value: dict, path: str):
    head, _, rest = path.partition(".")
    return get_path(value.get(head, {}), rest) if rest else value.get(head)


def set_path(value: dict, path: str, new) -> None:
    head, _, rest = path.partition(".")
    if rest:
        value[head] = dict(value.get(head) or {})
        set_path(value[head], rest, new)
    else:
        value[head] = new


def parse(policy_key: str, preset: dict, raw: dict) -> tuple[dict, dict[str, str]]:
    """Form or JSON input → (value, errors by path). Absent booleans are False, as HTML forms send them."""
    value, errors = {}, {}
    for p in parameters(policy_key, preset):
        given = get_path(raw, p.path) if "." in p.path and isinstance(raw.get(p.path.split(".")[0]), dict) \
            else raw.get(p.path)
        if p.kind == "bool":
            set_path(value, p.path, given in (True, "1", "on", "true", "True"))
            continue
        if given is None or given == "":
            errors[p.path] = gettext("请填写“{label}”").format(label=p.label)
            continue
        if p.kind == "int":
            try:
                given = int(str(given).strip())
            except ValueError:
                errors[p.path] = gettext("“{label}”应为整数").format(label=p.label)
                continue
        if problem := value_problem(p, given):
            errors[p.path] = problem
            continue
        set_path(value, p.path, given)
    return value, errors


def value_problem(p: Param, value) -> str:
    """What is wrong with a typed value of a parameter ("" when nothing): a choice off its list, a number out of range."""
    if p.kind == "choice":
        return "" if value in {c for c, _ in p.choices} else \
            gettext("“{label}”只能选择：{value}").format(label=p.label, value='、'.join(str(label) for _, label in p.choices))
    return int_problem(p, value) if p.kind == "int" and isinstance(value, int) else ""


def int_problem(p: Param, number: int) -> str:
    if number < 0:
        return gettext("“{label}”不能为负数").format(label=p.label)
    if number > MAX_INT:
        return gettext("“{label}”过大（不超过 {MAX_INT}）").format(label=p.label, MAX_INT=MAX_INT)
    if ("pct" in p.path.split(".")[-1] or p.path.startswith("weight_")) and number > 100:
        return gettext("“{label}”是百分比，不能超过 100").format(label=p.label)
    if p.path.split(".")[-1] in {"list_from_month"} and not 1 <= number <= 12:
        return gettext("“{label}”应在 1 到 12 之间").format(label=p.label)
    if p.path.split(".")[-1] in {"list_from_day"} and not 1 <= number <= 31:
        return gettext("“{label}”应在 1 到 31 之间").format(label=p.label)
    return ""


def whole_problems(policy_key: str, value: dict) -> dict[str, str]:
    """Checks across parameters (e.g. the three selection weights sum to 100)."""
    weights = [k for k in value if k.startswith("weight_")]
    if len(weights) >= 2 and sum(value[k] for k in weights) != 100:
        return {weights[0]: gettext("各部分权重之和应为 100（现为 {value}）").format(value=sum(value[k] for k in weights))}
    return {}


def changed_from(base: dict, value: dict) -> dict:
    """Only the parts of `value` that differ from `base` (nested dicts compared whole)."""
    return {k: v for k, v in value.items() if base.get(k) != v}
