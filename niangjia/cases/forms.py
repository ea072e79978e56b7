"""Forms of the case screens: they parse and label input; the services hold the rules."""

from collections import Counter

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import StyledForm, VersionField
from niangjia.needs.models import Need

from . import rules
from .models import CaseType, Channel, FollowUp, Outcome, ReferralStatus, Risk

NO_OVERRIDE = [("", _("按评估结果"))]




def _user_choices(users) -> list[tuple[int, str]]:
    """People's names; the login name only tells apart two people of the same name."""
    users = list(users)
    same = Counter(u.display_name for u in users)
    return [(u.pk, u.display_name if same[u.display_name] == 1 else f"{u.display_name}（{u.username}）")
            for u in users]


class CaseFieldsForm(StyledForm):
    """What opening a case asks for, wherever it comes from."""

    case_type = forms.ChoiceField(label=_("个案类型"), choices=CaseType.choices)
    name = forms.CharField(label=_("求助人姓名"), max_length=50, required=False,
                           help_text=_("按身份证号或电话查找已有人员；找不到时新建。不愿透露可填“匿名”"))
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False, help_text=_("校验位不对只提示，不影响接案"))
    address = forms.CharField(label=_("住址"), max_length=300, required=False)
    narrative = forms.CharField(label=_("情况陈述"), widget=forms.Textarea(attrs={"rows": 4}))
    risk_level = forms.ChoiceField(label=_("人工调整风险等级"), choices=NO_OVERRIDE + list(Risk.choices), required=False)
    risk_override_reason = forms.CharField(label=_("调整理由"), max_length=200, required=False)
    consent_store = forms.BooleanField(label=_("同意保存个人信息"), required=False)
    consent_share = forms.BooleanField(label=_("同意向公安、法院等系统外单位转介/共享信息"), required=False)
    consent_contact = forms.BooleanField(label=_("同意工作人员主动联系本人"), required=False)
    worker = forms.TypedChoiceField(label=_("个案工作者"), coerce=int)
    supervisors = forms.TypedMultipleChoiceField(label=_("督导"), coerce=int, required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, workers=(), supervisors=(), **kw):
        super().__init__(*args, **kw)
        for key, question in rules.QUESTIONS.items():
            self.fields[f"q_{key}"] = forms.BooleanField(label=_(question), required=False)  # rules.QUESTIONS are in the catalogue
        self.fields["worker"].choices = _user_choices(workers)
        self.fields["supervisors"].choices = _user_choices(supervisors)
        self.style()

    def answers(self) -> dict[str, bool]:
        return {k: bool(self.cleaned_data.get(f"q_{k}")) for k in rules.QUESTIONS}

    @property
    def question_fields(self):
        return [self[f"q_{k}"] for k in rules.QUESTIONS]


class CaseOpenForm(CaseFieldsForm):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[c for c in Channel.choices if c[0] != "hotline"])
    unit = forms.TypedChoiceField(label=_("受理组织"), coerce=int)

    def __init__(self, *args, units=(), **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class CallHandleForm(CaseFieldsForm):
    """One screen for a call: it becomes a need, a case, or nothing (with a reason)."""

    WHAT = [("case", _("建立维权个案")), ("need", _("登记为妇女需求")), ("none", _("无需处理"))]
    what = forms.ChoiceField(label=_("这通来电"), choices=WHAT, widget=forms.RadioSelect, initial="case")
    need_category = forms.ChoiceField(label=_("需求类别"), choices=Need.Category.choices, required=False)
    need_urgency = forms.ChoiceField(label=_("紧急程度"), choices=Need.Urgency.choices, required=False)
    need_description = forms.CharField(label=_("需求内容"), max_length=500, required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    dismiss_reason = forms.CharField(label=_("无需处理的原因"), max_length=200, required=False)
    version = VersionField()

    CASE_ONLY = ("case_type", "narrative", "worker")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        if self.data.get("what") in ("need", "none"):
            for name in self.CASE_ONLY:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        what = data.get("what")
        if what == "need" and not (data.get("need_description") or "").strip():
            self.add_error("need_description", _("需求内容不能为空"))
        if what == "need" and not data.get("need_category"):
            self.add_error("need_category", _("请选择需求类别"))
        if what == "none" and not (data.get("dismiss_reason") or "").strip():
            self.add_error("dismiss_reason", _("请写明原因"))
        return data


class AssessForm(StyledForm):
    risk_level = forms.ChoiceField(label=_("人工调整风险等级"), choices=NO_OVERRIDE + list(Risk.choices), required=False)
    risk_override_reason = forms.CharField(label=_("调整理由"), max_length=200, required=False)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for key, question in rules.QUESTIONS.items():
            self.fields[f"q_{key}"] = forms.BooleanField(label=_(question), required=False)  # rules.QUESTIONS are in the catalogue
        self.order_fields([f"q_{k}" for k in rules.QUESTIONS])
        self.style()

    def answers(self) -> dict[str, bool]:
        return {k: bool(self.cleaned_data.get(f"q_{k}")) for k in rules.QUESTIONS}


class CloseForm(StyledForm):
    outcome = forms.ChoiceField(label=_("结案方式"), choices=Outcome.choices)
    reason = forms.CharField(label=_("结案理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    satisfaction = forms.TypedChoiceField(label=_("当事人满意度"), coerce=int, required=False, empty_value=None,
                                          choices=[("", _("未评价"))] + [(i, format_lazy(_("{i} 分"), i=i)) for i in range(5, 0, -1)])


class ReferralForm(StyledForm):
    agency = forms.TypedChoiceField(label=_("转介单位"), coerce=int)
    note = forms.CharField(label=_("转介说明"), max_length=300, required=False)

    GROUPS = (_("建议优先（按个案需要）"), _("其他合作单位"), _("其他组织"))

    def __init__(self, *args, agencies=(), case=None, **kw):
        super().__init__(*args, **kw)
        label = lambda a: f"{a.name}（{a.get_agency_type_display() if a.agency_type else a.get_kind_display()}）"  # noqa: E731
        if case is None:
            self.fields["agency"].choices = [(a.pk, label(a)) for a in agencies]
            return
        # ordered by what the case needs; nothing is chosen for her (an empty first choice)
        ranked = sorted(agencies, key=lambda a: (rules.referral_rank(case.case_type, case.risk_level, a.agency_type),
                                                 a.name))
        groups: dict[int, list] = {}
        for a in ranked:
            groups.setdefault(rules.referral_rank(case.case_type, case.risk_level, a.agency_type)[0], []).append(
                (a.pk, label(a)))
        self.fields["agency"].choices = [("", _("请选择转介单位")),
                                         *((self.GROUPS[g], rows) for g, rows in sorted(groups.items()))]


class ReferralStatusForm(StyledForm):
    to = forms.ChoiceField(choices=ReferralStatus.choices)
    response = forms.CharField(label=_("对方答复"), max_length=300, required=False)


class FollowUpForm(StyledForm):
    method = forms.ChoiceField(label=_("方式"), choices=FollowUp.Method.choices)
    note = forms.CharField(label=_("跟进情况"), widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(StyledForm):
    reason = forms.CharField(label=_("法律依据"), max_length=300,
                             help_text=_("如：《反家庭暴力法》第十四条、第二十九条；当事人人身安全面临紧急危险"))


class CaseEditForm(StyledForm):
    """Corrections after intake; the clear values are filled in from the (audited) read of the case page."""

    case_type = forms.ChoiceField(label=_("个案类型"), choices=CaseType.choices)
    narrative = forms.CharField(label=_("情况陈述"), widget=forms.Textarea(attrs={"rows": 4}),
                                error_messages={"required": _("情况陈述不能为空")})
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False, help_text=_("校验位不对只提示，不影响保存"))
    address = forms.CharField(label=_("住址"), max_length=300, required=False)


class ManualCallForm(StyledForm):
    """A 12338 call written down by hand: when it came and ended, the number, what she said."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    started_at = forms.DateTimeField(label=_("来电时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ended_at = forms.DateTimeField(label=_("挂断时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    caller = forms.CharField(label=_("来电号码"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                             help_text=_("对方号码；不显示号码可留空"))
    notes = forms.CharField(label=_("来电内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
