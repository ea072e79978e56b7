"""What each summary metric means to a reader: its name, area, unit words and who may see it.

Every app declares the facts behind its metrics with `stats.rollup.register`; this catalogue
gives them the words the figures pages show (PRODUCT.md §11: every count rolls up from village
to nation). A metric missing here still shows, under its own name, in 其他.
"""

from dataclasses import dataclass, field

from django.apps import apps

from . import rollup


@dataclass(frozen=True)
class Figure:
    metric: str
    label: str
    area: str
    noun: str = "条"
    total_label: str = ""  # what the metric's sum means ("" when it has none)
    perm: str = "stats.view"
    category_title: str = "类别"
    status_title: str = "状态"
    labels: dict = field(default_factory=dict)  # category/status codes without model choices
    view_of: str = ""  # the same facts by another category (shown from that metric's page, not as a card)
    mean: bool = False  # the total is a sum of scores: show total / count

    def total_value(self, n: int, t: int):
        """The total as a number for a spreadsheet (None when there is none)."""
        if not self.total_label or (self.mean and not n):
            return None
        return round(t / n, 1) if self.mean else t

    def total_text(self, n: int, t: int) -> str:
        if not self.total_label:
            return ""
        return f"{t / n:.1f}" if self.mean and n else ("—" if self.mean else str(t))


AREAS = ("组织建设", "工作活动", "执委履职", "下基层", "直接联系群众", "需求与服务", "维权", "妇女参与", "评选与选配",
         "其他")

FIGURES = [
    Figure("village_conversion", "村妇代会改建妇联", "组织建设", "个村", "新增执委"),
    Figure("township_regionalisation", "乡镇妇联区域化建设", "组织建设", "个乡镇", "执委增加"),
    Figure("activity", "工作活动", "工作活动", "次", "覆盖妇女人次"),
    Figure("duty_members", "下发履职清单", "执委履职", "份", "记录佐证", perm="duties.view",
           category_title="清单状态", status_title="完成事项"),
    Figure("duty_evidence", "履职佐证", "执委履职", "条", perm="duties.view", category_title="佐证类型"),
    Figure("duty_items", "履职事项", "执委履职", "项", perm="duties.view", category_title="事项",
           status_title="完成情况", labels={"done": "已完成", "partly": "部分完成", "not_started": "未开始"}),
    Figure("field_days", "下基层蹲点", "下基层", "次", "蹲点天数", perm="fieldwork.view", category_title="形式"),
    Figure("diary", "妇情日记", "下基层", "篇", "接触妇女人次", perm="fieldwork.view"),
    Figure("research_report", "调研报告", "下基层", "篇", perm="fieldwork.view"),
    Figure("proposal", "建议案", "下基层", "份", perm="fieldwork.view"),
    Figure("contact_plans", "直接联系计划", "直接联系群众", "份", "联系对象", perm="contacts.view",
           category_title="计划类型", status_title="是否齐全", labels={"complete": "齐全", "incomplete": "未齐全"}),
    Figure("contact_overdue", "直接联系计划（久未联系）", "直接联系群众", "份", "久未联系的对象", perm="contacts.view",
           category_title="计划类型", status_title="久未联系", labels={"overdue": "有久未联系", "ok": "都有联系"},
           view_of="contact_plans"),
    Figure("contact_event", "联系群众", "直接联系群众", "次", perm="contacts.view", category_title="方式"),
    Figure("need", "妇女需求", "需求与服务", "件", perm="needs.view"),
    Figure("need_channel", "妇女需求（按来源渠道）", "需求与服务", "件", perm="needs.view", category_title="渠道",
           view_of="need"),
    Figure("need_overdue", "超期上报的需求", "需求与服务", "件", perm="needs.view"),
    Figure("service_order", "服务订单", "需求与服务", "单", perm="needs.view"),
    Figure("case", "维权个案", "维权", "件", perm="cases.view", category_title="类型"),
    Figure("case_risk", "维权个案（按风险等级）", "维权", "件", perm="cases.view", category_title="风险等级",
           view_of="case"),
    Figure("case_referral", "转介", "维权", "次", perm="cases.view", category_title="转介机构"),
    Figure("wechat_message", "微信公众号留言", "需求与服务", "条", perm="needs.view", category_title="去向"),
    Figure("suggestion", "意见箱来信", "妇女参与", "封", perm="participation.view", category_title="渠道"),
    Figure("participation_response", "意见征集答卷", "妇女参与", "份", perm="participation.view", category_title="渠道"),
    Figure("participation_registration", "活动报名", "妇女参与", "人次", perm="participation.view"),
    Figure("participation_rating", "活动评价", "妇女参与", "次", "平均评分（1–5）", perm="participation.view", mean=True),
    Figure("award_nomination", "评选推荐", "评选与选配", "人次", category_title="推荐方式"),
    Figure("award_ballot", "群众评议票", "评选与选配", "张"),
    Figure("award_objection", "公示期异议", "评选与选配", "件"),
    Figure("selection_candidate", "公开选配报名", "评选与选配", "人", category_title="报名渠道",
           status_title="选举结果"),
]
_BY_METRIC = {f.metric: f for f in FIGURES}


def figure(metric: str) -> Figure:
    return _BY_METRIC.get(metric) or Figure(metric, metric, "其他")


def figures_for(has_perm) -> list[Figure]:
    """The registered metrics the user may see, in catalogue order (area, then as listed)."""
    known = [f for f in FIGURES if f.metric in rollup.SOURCES]
    extra = [figure(m) for m in rollup.registered_metrics() if m not in _BY_METRIC]
    return [f for f in sorted(known + extra, key=lambda f: AREAS.index(f.area)) if has_perm(f.perm)]


def views_of(metric: str, has_perm) -> list[Figure]:
    """Other breakdowns of the same facts, linked from a metric's page."""
    return [f for f in FIGURES if f.view_of == metric and f.metric in rollup.SOURCES and has_perm(f.perm)]


def code_labels(fig: Figure, which: str) -> dict:
    """Display names of a metric's category ('category') or status ('status') codes."""
    src = rollup.SOURCES[fig.metric]
    name = src.category_field if which == "category" else src.status_field
    if not name:
        return {}
    model_field = apps.get_model(src.model)._meta.get_field(name)
    return {**{str(k): str(v) for k, v in model_field.flatchoices}, **fig.labels}
