"""Forms of the field-work pages: parse and check input shape; the services decide and write."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.forms import DateInput, StyledForm, VersionedForm
from niangjia.needs.models import Need
from niangjia.org.queries import federations_for, search_federations, unit_options_for

from . import rules
from .models import BODY_CHOICES, FieldRule, FieldStay, Proposal


class PlaceMixin:
    """A place select over the reach (roots and their children) plus a search box for deeper units."""

    def setup_place(self, actor, selected=None):
        self.actor = actor
        options = unit_options_for(actor, selected=selected)
        self.fields["place"].choices = [("", _("—— 请选择 ——"))] + [
            (str(u.pk), ("　" * max(0, u.level - options[0].level)) + u.name) for u in options]

    def clean_place_choice(self):
        q = (self.cleaned_data.get("place_q") or "").strip()
        if q:
            found = search_federations(self.actor, q, limit=6)
            exact = [u for u in found if u.name == q or u.code == q]
            if len(exact) == 1 or len(found) == 1:
                return (exact or found)[0]
            if not found:
                self.add_error("place_q", _("搜索地点：找不到或不在您的管辖范围内"))
            else:
                self.add_error("place_q", "搜索地点：找到多个，请写完整名称：" + "、".join(u.name for u in found[:5]))
            return None
        raw = self.cleaned_data.get("place") or ""
        unit = federations_for(self.actor).filter(pk=raw).first() if str(raw).isdigit() else None
        if unit is None:
            self.add_error("place", _("请选择蹲点地点，或在“搜索地点”中填写名称"))
        return unit


PAIR_MSG_NOT_FOUND = "结对妇女：找不到或不在您的管辖范围内"
PAIR_MSG_MANY = "结对妇女：找到多名同名人员，请从搜索结果中点选"


class PairMixin:
    """结对一名妇女 (city preset): a name box that searches persons in reach (htmx) and a pick.

    The search lists radio buttons named `paired_pick`; without a pick the name must match
    exactly one person in reach. An empty name clears the pairing."""

    def clean_paired(self):
        from niangjia.people.queries import persons_for

        q = (self.cleaned_data.get("paired_q") or "").strip()
        if not q:
            return None
        in_reach = persons_for(self.actor)
        pick = str(self.data.get("paired_pick") or "")
        if pick.isdigit():
            found = list(in_reach.filter(pk=int(pick)))
        else:
            kept = self.cleaned_data.get("paired_with")
            found = list(in_reach.filter(pk=kept, name=q)) if kept else []
            if not found:
                found = list(in_reach.filter(name=q).order_by("id")[:2])
            if len(found) > 1:
                self.add_error("paired_q", PAIR_MSG_MANY)
                return None
        if not found:
            self.add_error("paired_q", PAIR_MSG_NOT_FOUND)
            return None
        return found[0]


class StayForm(PairMixin, PlaceMixin, VersionedForm):
    place = forms.ChoiceField(label=_("蹲点地点"), required=False)
    place_q = forms.CharField(label=_("或搜索地点"), required=False, help_text=_("村、社区、乡镇名称或拼音首字母"))
    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("类型"), choices=FieldStay.Kind.choices, initial=FieldStay.Kind.STAY)
    setting = forms.ChoiceField(label=_("城乡"), required=False, choices=[("", _("按地点自动判断"))] + FieldStay.Setting.choices)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)
    paired_q = forms.CharField(
        label=_("结对妇女（选填）"), required=False, max_length=50,
        help_text=_("城乡蹲点要结对一名妇女：输入姓名或拼音首字母，从下方结果中点选"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "hx-post": "/fieldwork/person-search/",
                                      "hx-trigger": "input changed delay:400ms, search", "hx-target": "#paired-opts",
                                      "hx-include": "this", "hx-params": "paired_q"}))
    paired_with = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, actor, selected=None, **kwargs):
        kwargs.setdefault("initial", {"start": periods.today(), "end": periods.today()})
        super().__init__(*args, **kwargs)
        self.setup_place(actor, selected)

    def clean(self):
        data = super().clean()
        data["place_obj"] = self.clean_place_choice()
        data["paired_obj"] = self.clean_paired()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data


class BehalfStayForm(StayForm):
    """A manager logs or plans a stay for someone in her reach (代为记录): the person by name, or
    fixed when she came from that person's row of the standings table."""

    person_q = forms.CharField(label=_("人员姓名"), max_length=50, required=False,
                               help_text=_("管辖范围内的人员；同名时请从“下级情况”列表中点“代为记录”"))
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["person_q", "person"]

    def clean(self):
        data = super().clean()
        data["person_obj"] = self._resolve_person()
        return data

    def _resolve_person(self):
        from niangjia.core.access import scoped
        from niangjia.people.models import Person

        in_reach = scoped(Person.objects.filter(is_active=True).select_related("unit"), self.actor)
        pk = self.cleaned_data.get("person")
        if pk:
            found = list(in_reach.filter(pk=pk))
        else:
            name = (self.cleaned_data.get("person_q") or "").strip()
            if not name:
                self.add_error("person_q", _("请填写人员姓名"))
                return None
            found = list(in_reach.filter(name=name).order_by("id")[:6])
            if len(found) > 1:
                self.add_error("person_q", "人员姓名：找到多名同名人员（" + "、".join(
                    f"{p.unit.name}" for p in found[:5]) + "），请从“下级情况”列表中点“代为记录”")
                return None
        if not found:
            self.add_error("person_q", _("人员姓名：找不到或不在您的管辖范围内"))
            return None
        return found[0]


class DiaryForm(PlaceMixin, VersionedForm):
    place = forms.ChoiceField(label=_("地点"), required=False)
    place_q = forms.CharField(label=_("或搜索地点"), required=False)
    date = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=120)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    women_met = forms.IntegerField(label=_("接触妇女人数"), min_value=0, initial=0)

    def __init__(self, *args, actor, selected=None, **kwargs):
        kwargs.setdefault("initial", {"date": periods.today(), "women_met": 0})
        super().__init__(*args, **kwargs)
        self.setup_place(actor, selected)

    def clean(self):
        data = super().clean()
        data["place_obj"] = self.clean_place_choice()
        return data


NEED_ROWS = 3


def needs_from_post(post) -> list[dict]:
    """The inline need rows of the diary form (need-1-category, need-1-urgency, need-1-description…)."""
    out = []
    for i in range(1, NEED_ROWS + 1):
        row = {k: (post.get(f"need-{i}-{k}") or "").strip() for k in ("category", "urgency", "description")}
        if row["category"] or row["description"]:
            out.append(row)
    return out


NEED_CATEGORIES = Need.Category.choices
NEED_URGENCIES = Need.Urgency.choices


class ReportForm(StyledForm):
    date = forms.DateField(label=_("日期"), widget=DateInput(), initial=date.today)
    title = forms.CharField(label=_("标题"), max_length=150)
    topic = forms.CharField(label=_("调研问题"), max_length=150, help_text=_("研究的妇女共性问题"))
    summary = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("附件（选填）"), required=False,
                           help_text=_("照片（jpg、png）或文件（pdf、Word、Excel、txt），不超过 10 MB"),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"}))
    record_duty = forms.BooleanField(label=_("同时记入我的履职清单（调研报告一项）"), required=False, initial=True)


class ProposalForm(StyledForm):
    date = forms.DateField(label=_("日期"), widget=DateInput(), initial=date.today)
    title = forms.CharField(label=_("标题"), max_length=150)
    addressed_to = forms.CharField(label=_("提交对象"), max_length=100, help_text=_("如：县人大、县政府、市妇联"))
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))
    record_duty = forms.BooleanField(label=_("同时记入我的履职清单（建议案一项）"), required=False, initial=True)


class ReportEditForm(VersionedForm):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=150)
    topic = forms.CharField(label=_("调研问题"), max_length=150)
    summary = forms.CharField(label=_("摘要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("上传或替换附件（选填）"), required=False,
                           help_text=_("照片（jpg、png）或文件（pdf、Word、Excel、txt），不超过 10 MB"),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"}))


class ProposalEditForm(VersionedForm):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=150)
    addressed_to = forms.CharField(label=_("提交对象"), max_length=100)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}))


class ProposalStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("状态"), choices=Proposal.Status.choices)


LEVEL_CHOICES = [(1, "全国"), (2, "省"), (3, "市"), (4, "县/区"), (5, "乡镇/街道"), (6, "村/社区")]


class CountFlagsForm(forms.Form):
    """The four 计入 switches of a field rule (rules.COMMON, labelled by rules.FLAG_LABELS), shared by
    adopting a preset and editing a rule."""

    count_trip = forms.BooleanField(label=rules.FLAG_LABELS["count_trip"], required=False)
    count_inspection = forms.BooleanField(label=rules.FLAG_LABELS["count_inspection"], required=False)
    count_home_visit = forms.BooleanField(label=rules.FLAG_LABELS["count_home_visit"], required=False)
    count_holiday = forms.BooleanField(label=rules.FLAG_LABELS["count_holiday"], required=False)

    def flags(self) -> dict:
        return {k: bool(self.cleaned_data.get(k)) for k in rules.COMMON}


class AdoptForm(StyledForm, CountFlagsForm):
    unit = forms.ChoiceField(label=_("采用单位"))
    preset = forms.ChoiceField(label=_("预设规则"), choices=[(k, v[0]) for k, v in rules.PRESETS.items()])
    body = forms.ChoiceField(label=_("适用机构"), required=False, choices=[("", _("按预设"))] + BODY_CHOICES)
    title_contains = forms.CharField(label=_("职务包含"), required=False, max_length=30, help_text=_("如“主席”，留空为全部"))
    levels = forms.MultipleChoiceField(label=_("适用层级"), required=False, choices=LEVEL_CHOICES,
                                       widget=forms.CheckboxSelectMultiple, help_text=_("不选则按预设"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["unit"].choices = [(str(u.pk), u.name) for u in unit_options_for(actor) if u.level <= 4]
        self.fields["levels"].widget.attrs.pop("class", None)
        # every preset's figures, each labelled with the presets it belongs to; empty = the preset's value
        for key, label in param_fields().items():
            self.fields[f"p_{key}"] = label
        order = [k for k in self.fields if not k.startswith("count_")] + [k for k in self.fields if k.startswith("count_")]
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        raw = data.get("unit") or ""
        data["unit_obj"] = federations_for(self.actor).filter(pk=raw).first() if str(raw).isdigit() else None
        if data["unit_obj"] is None:
            self.add_error("unit", _("采用单位：不在您的管辖范围内"))
        return data

    def overrides(self) -> dict:
        d = self.cleaned_data
        out = self.flags()
        preset = rules.PRESETS[d["preset"]][1]
        for key in preset:
            if d.get(f"p_{key}") is not None and key not in rules.RULE_FIELDS:
                out[key] = d[f"p_{key}"]
        return out


def _param_field(key: str, *, presets: str = "", required: bool = False) -> forms.Field:
    """A figure's field, dressed like StyledForm's (messages naming the field, Bootstrap classes)."""
    label, unit = rules.PARAM_LABELS.get(key, (key, ""))
    if key == "min_place_level":
        field = forms.TypedChoiceField(label=f"{label}{presets}", required=required, coerce=int, empty_value=None,
                                       choices=([] if required else [("", _("按预设"))]) + list(rules.PLACE_LEVELS.items()))
        field.widget.attrs["class"] = "form-select"
        field.error_messages["invalid_choice"] = f"{label}的选项无效"
    else:
        field = forms.IntegerField(label=f"{label}（{unit}）{presets}", required=required, min_value=0, max_value=366,
                                   help_text="" if required else "留空按预设")
        field.widget.attrs["class"] = "form-control"
        field.error_messages |= {"invalid": f"{label}应为整数", "min_value": f"{label}不能小于 %(limit_value)s",
                                 "max_value": f"{label}不能大于 %(limit_value)s"}
    field.error_messages["required"] = f"请填写{label}"
    return field


def param_fields() -> dict[str, forms.Field]:
    """One optional field per preset figure, saying which presets have it."""
    out = {}
    for kind in dict(FieldRule.Kind.choices):
        for key in rules.params_of(kind):
            if key in out:
                continue
            names = [name for name, preset in rules.PRESETS.values() if key in preset]
            hint = "" if len(names) == len(rules.PRESETS) else "（" + "、".join(n[:10] for n in names) + "）"
            out[key] = _param_field(key, presets=hint)
    return out


class RuleEditForm(VersionedForm, CountFlagsForm):
    """A rule's name, figures and count flags after adoption (the figures of its kind only)."""

    name = forms.CharField(label=_("名称"), max_length=80)

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.param_keys = [k for k in rules.params_of(rule.kind) if k in rule.params] or list(rule.params)
        for key in self.param_keys:
            self.fields[f"p_{key}"] = _param_field(key, required=True)
        self.order_fields(["version", "name", *[f"p_{k}" for k in self.param_keys]])

    def params(self) -> dict:
        return {k: self.cleaned_data[f"p_{k}"] for k in self.param_keys}


class StandingFilterForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    rule = forms.ChoiceField(label=_("规则"), required=False)
    status = forms.ChoiceField(label=_("情况"), required=False, choices=[("", _("全部"))] + list(rules.STATUS_NAMES.items())[:3])

    def __init__(self, *args, rule_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("全部规则"))] + rule_choices
