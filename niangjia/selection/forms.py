"""Forms only parse and type the input; the services validate and decide."""

from itertools import permutations

from django import forms

from niangjia.core.forms import DateInput, StyledForm, VersionField
from niangjia.people.models import Post

from . import rules
from .models import Method

ORDERS = [",".join([*p, "applied"]) for p in permutations(("jury", "expert", "project"))]


def order_label(value: str) -> str:
    names = {**rules.KIND_NAMES, "applied": "报名先后"}
    return " → ".join(names[s] for s in value.split(","))




def _weight(label):
    return forms.DecimalField(label=label, min_value=0, max_value=100, decimal_places=2, max_digits=5,
                              error_messages={"required": f"请填写{label}", "invalid": f"{label}应为数字"})


class ScoringFields(StyledForm):
    weight_project = _weight("项目评审权重（%）")
    weight_expert = _weight("专家评议权重（%）")
    weight_jury = _weight("群众评审团权重（%）")
    method_project = forms.ChoiceField(label="项目评审计分方法", choices=Method.choices)
    method_expert = forms.ChoiceField(label="专家评议计分方法", choices=Method.choices)
    method_jury = forms.ChoiceField(label="群众评审团计分方法", choices=Method.choices)
    tie_break = forms.ChoiceField(label="总分相同时依次比较", choices=[(o, order_label(o)) for o in ORDERS])
    trim_min = forms.IntegerField(label="去掉最高最低分所需最少评分数", min_value=3, max_value=50, initial=3)

    def scoring(self) -> dict:
        d = self.cleaned_data
        return {"weights": {k: d[f"weight_{k}"] for k in rules.KINDS},
                "methods": {k: d[f"method_{k}"] for k in rules.KINDS},
                "tie_break": d["tie_break"], "trim_min": d["trim_min"]}


class SelectionForm(ScoringFields):
    unit = forms.IntegerField(label="组织单位", widget=forms.Select)
    title = forms.CharField(label="名称", max_length=100, error_messages={"required": "请填写名称"})
    call_opens = forms.DateField(label="报名开始", widget=DateInput(),
                                 error_messages={"required": "请填写报名开始日期", "invalid": "日期格式应为 年-月-日"})
    call_closes = forms.DateField(label="报名截止", widget=DateInput(),
                                  error_messages={"required": "请填写报名截止日期", "invalid": "日期格式应为 年-月-日"})
    eligibility = forms.CharField(label="报名条件", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(label="其他条件（选填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["unit", "title", "call_opens", "call_closes", "eligibility", "conditions"]

    POST_ROWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.POST_ROWS + 1):
            self.fields[f"post{i}_body"] = forms.ChoiceField(label=f"职务{i}·机构", required=False,
                                                             choices=[("", "—")] + list(Post.Body.choices))
            self.fields[f"post{i}_title"] = forms.CharField(label=f"职务{i}·名称", required=False, max_length=50)
            self.fields[f"post{i}_seats"] = forms.IntegerField(label=f"职务{i}·名额", required=False, min_value=1,
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
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名"})
    phone = forms.CharField(label="手机号", max_length=20, error_messages={"required": "请填写手机号"},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    gender = forms.ChoiceField(label="性别", choices=[("F", "女"), ("M", "男")], initial="F")
    workplace = forms.CharField(label="工作单位/职业", max_length=120, required=False)
    id_number = forms.CharField(label="身份证号（选填）", max_length=18, required=False)
    wish = forms.TypedChoiceField(label="意向职务（选填）", required=False, coerce=int, empty_value=None)
    project_title = forms.CharField(label="项目名称", max_length=100, error_messages={"required": "请填写项目名称"})
    project_need = forms.CharField(label="项目回应的妇女需求", widget=forms.Textarea(attrs={"rows": 3}),
                                   error_messages={"required": "请写明项目回应的妇女需求"})
    project_plan = forms.CharField(label="实施计划", widget=forms.Textarea(attrs={"rows": 4}),
                                   error_messages={"required": "请填写实施计划"})
    key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wish"].choices = [("", "不限")] + [(p.pk, p.title) for p in posts]


class ScorerForm(StyledForm):
    name = forms.CharField(label="评分人姓名", max_length=50, error_messages={"required": "请填写评分人姓名"})
    note = forms.CharField(label="身份说明（选填）", max_length=100, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "如：村妇联主席、高校教师"}))
    phone = forms.CharField(label="手机号（选填，用于短信发送链接）", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    send_sms = forms.BooleanField(label="生成后短信发送链接", required=False)


class CorrectForm(StyledForm):
    value = forms.DecimalField(label="更正后的分数", min_value=0, max_value=100, decimal_places=2, max_digits=5,
                               error_messages={"required": "请填写更正后的分数", "invalid": "分数应为数字"})
    reason = forms.CharField(label="更正理由", max_length=200, error_messages={"required": "请填写更正理由"})


class VetForm(StyledForm):
    result = forms.ChoiceField(label="考察结果", choices=[("passed", "合格"), ("failed", "不合格")],
                               widget=forms.RadioSelect, error_messages={"required": "请选择考察结果"})
    note = forms.CharField(label="考察意见", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写考察意见"})
    version = VersionField()


class ElectForm(StyledForm):
    result = forms.ChoiceField(label="选举结果", choices=[("elected", "当选"), ("not_elected", "未当选")],
                               widget=forms.RadioSelect, error_messages={"required": "请选择选举结果"})
    post = forms.TypedChoiceField(label="当选职务", required=False, coerce=int, empty_value=None)
    version = VersionField()

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", "—")] + [(p.pk, f"{p.title}（{p.seats} 名）") for p in posts]
