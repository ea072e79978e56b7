"""A policy's figures as editable parameters: labels, kinds, parsing and checks (pure, no I/O).

A preset is a dict. Its integers, booleans, strings with known choices and one level of nested
dicts of integers (e.g. needs.deadlines' days per category) are parameters a federation may
set; anything else (checklist items, the kind of a rule, the posts it covers) is structure that
its own app's pages maintain, and is shown read-only here.
"""

from dataclasses import dataclass

# Chinese labels of parameters: "<policy key>.<name>" first, then "<name>" alone.
LABELS = {
    "grace_days": "宽限天数", "tolerance_pct": "容差（%）", "list_from_month": "落后名单起始月",
    "list_from_day": "落后名单起始日",
    "standing_grassroots_min_pct": "常委中基层一线比例下限（%）",
    "executive_grassroots_min_pct": "执委中基层一线比例下限（%）",
    "delegates_grassroots_min_pct": "代表中基层一线比例下限（%）",
    "leadership_full_time_max_pct": "领导班子专职比例上限（%）",
    "critical_days": "特急需求办理期限（天）", "urgent_days": "紧急需求办理期限（天）",
    "normal_days": "一般需求办理期限（天，按类别）", "default_days": "其他类别默认期限（天）",
    "normal_days.rights": "一般需求·权益维护（天）", "normal_days.counselling": "一般需求·心理疏导（天）",
    "normal_days.hardship": "一般需求·困难帮扶（天）",
    "normal_days.legal": "一般需求·法律服务（天）", "normal_days.mediation": "一般需求·婚姻家庭纠纷调解（天）",
    "normal_days.employment": "一般需求·创业就业（天）",
    "normal_days.family_education": "一般需求·家庭教育（天）", "normal_days.other": "一般需求·其他（天）",
    "min_days": "最少天数", "min_place_level": "蹲点地点最高层级（4=县、5=乡镇、6=村）",
    "urban_days": "城市社区蹲点天数", "rural_days": "农村蹲点天数", "paired": "结对妇女人数",
    "cadre_days": "当一天基层干部（天）", "diaries": "妇情日记（篇）", "reports": "研究问题/调研报告（个）",
    "count_trip": "出差计入", "count_inspection": "检查调研计入", "count_home_visit": "走访入户计入",
    "count_holiday": "节假日计入",
    "county_federation": "县级妇联（个）", "group_member": "团体会员（个）", "workplace_committee": "单位妇委会（个）",
    "firm_or_social_org": "非公企业或社会组织（个）", "provincial_executive": "省妇联执委（名）",
    "township_federation": "乡镇（街道）妇联（个）", "village_federation": "村（社区）妇联（个）",
    "representative_woman": "代表性妇女（名）",
    "ordinary_women_min": "普通妇女不少于（名）", "poor_min": "其中困难妇女不少于（名）",
    "new_org_min": "其中新经济/社会组织妇女不少于（名）",
    "contacts.not_heard_from.days": "超过多少天未联系即提醒",
    "high_hours": "高风险个案跟进时限（小时）", "medium_hours": "中风险个案跟进时限（小时）",
    "low_hours": "低风险个案跟进时限（小时，0=不要求）",
    "vice_chairs": "兼职副主席（名）", "standing_members": "兼职常委（名）",
    "village_conversion_pct": "会改联目标（%）", "township_regionalisation_pct": "乡镇区域化目标（%）",
    "hotline_pct": "县级以上妇联开通12338目标（%）", "composition_pct": "组成结构达标目标（%）",
    "staffing_within_quota_pct": "不超编目标（%）",
    "ttl_minutes": "验证码有效期（分钟）", "max_attempts": "最多尝试次数", "resend_seconds": "重发间隔（秒）",
    "awards.notice.days": "公示期（天）", "working_days": "按工作日计算",
    "org_per_federation": "每个下级妇联组织推荐名额", "public_per_round": "社会推荐名额",
    "mode": "评议方式", "max_choices": "每人最多选几人", "code_ttl_minutes": "验证码有效期（分钟）",
    "code_attempts": "验证码最多尝试次数",
    "weight_project": "项目评审权重（%）", "weight_expert": "专家评审权重（%）", "weight_jury": "群众评审团权重（%）",
    "method_project": "项目评审计分方法", "method_expert": "专家评审计分方法", "method_jury": "群众评审团计分方法",
    "trim_min": "去掉最高最低分所需最少评分人数", "tie_break": "同分排序规则", "score_max": "满分",
}

# Strings a federation may choose among; other strings are structure.
CHOICES = {
    "method_project": (("mean", "平均分"), ("trimmed", "去掉一个最高分和一个最低分后平均")),
    "method_expert": (("mean", "平均分"), ("trimmed", "去掉一个最高分和一个最低分后平均")),
    "method_jury": (("mean", "平均分"), ("trimmed", "去掉一个最高分和一个最低分后平均")),
    "mode": (("votes", "投票"), ("ratings", "1–5 分评分")),
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
        return "、".join(_text(v) if not isinstance(v, dict) else (v.get("title") or str(v)) for v in value) or "（无）"
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
            errors[p.path] = f"请填写“{p.label}”"
            continue
        if p.kind == "int":
            try:
                given = int(str(given).strip())
            except ValueError:
                errors[p.path] = f"“{p.label}”应为整数"
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
            f"“{p.label}”只能选择：{'、'.join(label for _, label in p.choices)}"
    return int_problem(p, value) if p.kind == "int" and isinstance(value, int) else ""


def int_problem(p: Param, number: int) -> str:
    if number < 0:
        return f"“{p.label}”不能为负数"
    if number > MAX_INT:
        return f"“{p.label}”过大（不超过 {MAX_INT}）"
    if ("pct" in p.path.split(".")[-1] or p.path.startswith("weight_")) and number > 100:
        return f"“{p.label}”是百分比，不能超过 100"
    if p.path.split(".")[-1] in {"list_from_month"} and not 1 <= number <= 12:
        return f"“{p.label}”应在 1 到 12 之间"
    if p.path.split(".")[-1] in {"list_from_day"} and not 1 <= number <= 31:
        return f"“{p.label}”应在 1 到 31 之间"
    return ""


def whole_problems(policy_key: str, value: dict) -> dict[str, str]:
    """Checks across parameters (e.g. the three selection weights sum to 100)."""
    weights = [k for k in value if k.startswith("weight_")]
    if len(weights) >= 2 and sum(value[k] for k in weights) != 100:
        return {weights[0]: f"各部分权重之和应为 100（现为 {sum(value[k] for k in weights)}）"}
    return {}


def changed_from(base: dict, value: dict) -> dict:
    """Only the parts of `value` that differ from `base` (nested dicts compared whole)."""
    return {k: v for k, v in value.items() if base.get(k) != v}
