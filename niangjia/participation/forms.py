"""Forms only parse and type the input; the services validate and decide."""

from django import forms

from niangjia.core import periods
from niangjia.core.forms import DateInput, StyledForm

from .models import Activity, Identity, Question

DATE = {"required": "请填写日期", "invalid": "日期格式应为 年-月-日"}


def _date_widget():
    return DateInput()


class ConsultationForm(StyledForm):
    unit = forms.IntegerField(label="发起组织", widget=forms.Select, error_messages={"required": "请选择发起组织"})
    audience = forms.IntegerField(label="面向范围（本组织或下级组织）", required=False, widget=forms.Select)
    title = forms.CharField(label="标题", max_length=100, error_messages={"required": "请填写标题"},
                            widget=forms.TextInput(attrs={"placeholder": "如：暑期儿童托管活动意见征集"}))
    intro = forms.CharField(label="说明（选填）", max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label="开始日期", widget=_date_widget(), error_messages=DATE)
    closes_on = forms.DateField(label="截止日期", widget=_date_widget(), error_messages=DATE)
    identity = forms.ChoiceField(label="防重复方式", choices=Identity.choices)
    via_link = forms.BooleanField(label="公开链接", required=False, initial=True)
    via_wechat = forms.BooleanField(label="微信二维码", required=False, initial=True)
    via_website = forms.BooleanField(label="网站公告", required=False)
    via_paper = forms.BooleanField(label="纸质问卷（干部录入）", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        self.fields["unit"].widget.choices = choices
        self.fields["audience"].widget.choices = [("", "与发起组织相同")] + choices
        today = periods.today()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today.replace(day=28) if today.day < 20 else today

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "截止日期不能早于开始日期")
        return data


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    text = forms.CharField(label="题目", max_length=300, error_messages={"required": "请填写题目"})
    options = forms.CharField(label="选项（每行一个，选择题填写）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "placeholder": "周末上午\n周末下午\n工作日晚上"}))
    required = forms.BooleanField(label="必答", required=False, initial=True)
    max_choices = forms.IntegerField(label="最多选几项（多选题，选填）", required=False, min_value=1,
                                     error_messages={"min_value": "至少为 1", "invalid": "请填写整数"})
    scale = forms.IntegerField(label="评分满分（评分题）", required=False, min_value=2, max_value=10, initial=5,
                               error_messages={"min_value": "至少为 2", "max_value": "最多为 10",
                                               "invalid": "请填写整数"})

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]


class ActivityForm(StyledForm):
    unit = forms.IntegerField(label="主办组织", widget=forms.Select, error_messages={"required": "请选择主办组织"})
    title = forms.CharField(label="活动名称", max_length=100, error_messages={"required": "请填写活动名称"})
    description = forms.CharField(label="活动内容", max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label="地点", max_length=120, required=False)
    day = forms.DateField(label="活动日期", widget=_date_widget(), error_messages=DATE)
    start_time = forms.TimeField(label="开始时间（选填）", required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 error_messages={"invalid": "时间格式应为 时:分"})
    capacity = forms.IntegerField(label="名额", min_value=1, max_value=100000,
                                  error_messages={"required": "请填写名额", "min_value": "名额至少为 1",
                                                  "invalid": "名额应为整数"})
    status = forms.ChoiceField(label="状态", choices=Activity.Status.choices)
    consultation = forms.IntegerField(label="依据的意见征集（选填）", required=False, widget=forms.Select)
    design_notes = forms.CharField(label="征集结果如何体现在活动中（选填）", max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=(), consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [(u.pk, u.name) for u in units]
        self.fields["consultation"].widget.choices = [("", "（无）")] + [(c.pk, c.title) for c in consultations]


class RegistrationForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=40, error_messages={"required": "请填写姓名"})
    phone = forms.CharField(label="手机号", max_length=20, error_messages={"required": "请填写手机号"},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
