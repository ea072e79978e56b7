"""Forms only parse and type the input; the services validate and decide."""

from itertools import permutations

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import DateInput, StyledForm, VersionField
from niangjia.people.models import Post

from . import rules
from .models import Method

ORDERS = [",".join([*p, "applied"]) for p in permutations(("jury", "expert", "project"))]


def _order_label(value: str) -> str:
    names = {**rules.KIND_NAMES, "applied": gettext("报名先后")}
    return " → ".join(str(names[s]) for s in value.split(","))


order_label = lazy(_order_label, str)  # the form's choices are built at import, shown in the reader's language




def _weight(label):
    return forms.DecimalField(label=label, min_value=0, max_value=100, decimal_places=2, max_digits=5,
                              error_messages={"required": format_lazy(_("请填写{label}"), label=label), "invalid": format_lazy(_("{label}应为数字"), label=label)})


class ScoringFields(StyledForm):
    weight_project = _weight(_("项目评审权重（%）"))
    weight_expert = _weight(_("专家评议权重（%）"))
    weight_jury = _weight(_("群众评审团权重（%）"))
    method_project = forms.ChoiceField(label=_("项目评审计分方法"), choices=Method.choices)
    method_expert = forms.ChoiceField(label=_("专家评议计分方法"), choices=Method.choices)
    method_jury = forms.ChoiceField(label=_("群众评审团计分方法"), choices=Method.choices)
    tie_break = forms.ChoiceField(label=_("总分相同时依次比较"), choices=[(o, order_label(o)) for o in ORDERS])
    trim_min = forms.IntegerField(label=_("去掉最高最低分所需最少评分数"), min_value=3, max_value=50, initial=3)

    def scoring(self) -> dict:
        d = self.cleaned_data
        return {"weights": {k: d[f"weight_{k}"] for k in rules.KINDS},
                "methods": {k: d[f"method_{k}"] for k in rules.KINDS},
                "tie_break": d["tie_break"], "trim_min": d["trim_min"]}


class SelectionForm(ScoringFields):
    unit = forms.IntegerField(label=_("组织单位"), widget=forms.Select)
    title = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("请填写名称")})
    call_opens = forms.DateField(label=_("报名开始"), widget=DateInput(),
                                 error_messages={"required": _("请填写报名开始日期"), "invalid": _("日期格式应为 年-月-日")})
    call_closes = forms.DateField(label=_("报名截止"), widget=DateInput(),
                                  error_messages={"required": _("请填写报名截止日期"), "invalid": _("日期格式应为 年-月-日")})
    eligibility = forms.CharField(label=_("报名条件"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(label=_("其他条件（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["unit", "title", "call_opens", "call_closes", "eligibility", "conditions"]

    POST_ROWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.POST_ROWS + 1):
            self.fields[f"post{i}_body"] = forms.ChoiceField(label=gettext("职务{i}·机构").format(i=i), required=False,
                                                             choices=[("", "—")] + list(Post.Body.choices))
            self.fields[f"post{i}_title"] = forms.CharField(label=gettext("职务{i}·名称").format(i=i), required=False, max_length=50)
            self.fields[f"post{i}_seats"] = forms.IntegerField(label=gettext("职务{i}·名额").format(i=i), required=False, min_value=1,
                                                               max_value=50)
            for f in ("body", "title", "seats"):
                w = self.fields[f"post{i}_{f}"].widget
                w.attrs.setdefault("class", "form-select" if f == "body" else "form-control")

    def posts(self) -> list[dict]:
        d = self.cleaned_data
        return [{"body": d.get(f"post{i}_body"), "title": d.get(f"post{i}_title"), "seats": d.get(f"post{i}_seats")}
                for i in range(1, self.POST_ROWS + 1) if d.get(f"post{i}_title")]

    def post_rows(self):
        return [(self[f"post{i}_body"], self[f"post{i}_title"], self[f"post{i}_seats"])
                for i in range(1, self.POST_ROWS + 1)]


class ConfigForm(ScoringFields):
    version = VersionField()


class CandidateForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    phone = forms.CharField(label=_("手机号"), max_length=20, error_messages={"required": _("请填写手机号")},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    gender = forms.ChoiceField(label=_("性别"), choices=[("F", _("女")), ("M", _("男"))], initial="F")
    workplace = forms.CharField(label=_("工作单位/职业"), max_length=120, required=False)
    id_number = forms.CharField(label=_("身份证号（选填）"), max_length=18, required=False)
    wish = forms.TypedChoiceField(label=_("意向职务（选填）"), required=False, coerce=int, empty_value=None)
    project_title = forms.CharField(label=_("项目名称"), max_length=100, error_messages={"required": _("请填写项目名称")})
    project_need = forms.CharField(label=_("项目回应的妇女需求"), widget=forms.Textarea(attrs={"rows": 3}),
                                   error_messages={"required": _("请写明项目回应的妇女需求")})
    project_plan = forms.CharField(label=_("实施计划"), widget=forms.Textarea(attrs={"rows": 4}),
                                   error_messages={"required": _("请填写实施计划")})
    key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wish"].choices = [("", gettext("不限"))] + [(p.pk, p.title) for p in posts]


class ScorerForm(StyledForm):
    name = forms.CharField(label=_("评分人姓名"), max_length=50, error_messages={"required": _("请填写评分人姓名")})
    note = forms.CharField(label=_("身份说明（选填）"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("如：村妇联主席、高校教师")}))
    phone = forms.CharField(label=_("手机号（选填，用于短信发送链接）"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    send_sms = forms.BooleanField(label=_("生成后短信发送链接"), required=False)


class CorrectForm(StyledForm):
    value = forms.DecimalField(label=_("更正后的分数"), min_value=0, max_value=100, decimal_places=2, max_digits=5,
                               error_messages={"required": _("请填写更正后的分数"), "invalid": _("分数应为数字")})
    reason = forms.CharField(label=_("更正理由"), max_length=200, error_messages={"required": _("请填写更正理由")})


class VetForm(StyledForm):
    result = forms.ChoiceField(label=_("考察结果"), choices=[("passed", _("合格")), ("failed", _("不合格"))],
                               widget=forms.RadioSelect, error_messages={"required": _("请选择考察结果")})
    note = forms.CharField(label=_("考察意见"), widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("请填写考察意见")})
    version = VersionField()


class ElectForm(StyledForm):
    result = forms.ChoiceField(label=_("选举结果"), choices=[("elected", _("当选")), ("not_elected", _("未当选"))],
                               widget=forms.RadioSelect, error_messages={"required": _("请选择选举结果")})
    post = forms.TypedChoiceField(label=_("当选职务"), required=False, coerce=int, empty_value=None)
    version = VersionField()

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", "—")] + [(p.pk, gettext("{title}（{seats} 名）").format(title=p.title, seats=p.seats)) for p in posts]
