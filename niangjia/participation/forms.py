"""Forms only parse and type the input; the services validate and decide."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.forms import DateInput, StyledForm

from .models import Activity, Identity, Question

DATE = {"required": _("请填写日期"), "invalid": _("日期格式应为 年-月-日")}


def _date_widget():
    return DateInput()


class ConsultationForm(StyledForm):
    unit = forms.IntegerField(label=_("发起组织"), widget=forms.Select, error_messages={"required": _("请选择发起组织")})
    audience = forms.IntegerField(label=_("面向范围（本组织或下级组织）"), required=False, widget=forms.Select)
    title = forms.CharField(label=_("标题"), max_length=100, error_messages={"required": _("请填写标题")},
                            widget=forms.TextInput(attrs={"placeholder": _("如：暑期儿童托管活动意见征集")}))
    intro = forms.CharField(label=_("说明（选填）"), max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=_("开始日期"), widget=_date_widget(), error_messages=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=_date_widget(), error_messages=DATE)
    identity = forms.ChoiceField(label=_("防重复方式"), choices=Identity.choices)
    via_link = forms.BooleanField(label=_("公开链接"), required=False, initial=True)
    via_wechat = forms.BooleanField(label=_("微信二维码"), required=False, initial=True)
    via_website = forms.BooleanField(label=_("网站公告"), required=False)
    via_paper = forms.BooleanField(label=_("纸质问卷（干部录入）"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        self.fields["unit"].widget.choices = choices
        self.fields["audience"].widget.choices = [("", gettext("与发起组织相同"))] + choices
        today = periods.today()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today.replace(day=28) if today.day < 20 else today

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", gettext("截止日期不能早于开始日期"))
        return data


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("题目"), max_length=300, error_messages={"required": _("请填写题目")})
    options = forms.CharField(label=_("选项（每行一个，选择题填写）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("周末上午\n周末下午\n工作日晚上")}))
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    max_choices = forms.IntegerField(label=_("最多选几项（多选题，选填）"), required=False, min_value=1,
                                     error_messages={"min_value": _("至少为 1"), "invalid": _("请填写整数")})
    scale = forms.IntegerField(label=_("评分满分（评分题）"), required=False, min_value=2, max_value=10, initial=5,
                               error_messages={"min_value": _("至少为 2"), "max_value": _("最多为 10"),
                                               "invalid": _("请填写整数")})

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]


class ActivityForm(StyledForm):
    unit = forms.IntegerField(label=_("主办组织"), widget=forms.Select, error_messages={"required": _("请选择主办组织")})
    title = forms.CharField(label=_("活动名称"), max_length=100, error_messages={"required": _("请填写活动名称")})
    description = forms.CharField(label=_("活动内容"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    day = forms.DateField(label=_("活动日期"), widget=_date_widget(), error_messages=DATE)
    start_time = forms.TimeField(label=_("开始时间（选填）"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 error_messages={"invalid": _("时间格式应为 时:分")})
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000,
                                  error_messages={"required": _("请填写名额"), "min_value": _("名额至少为 1"),
                                                  "invalid": _("名额应为整数")})
    status = forms.ChoiceField(label=_("状态"), choices=Activity.Status.choices)
    consultation = forms.IntegerField(label=_("依据的意见征集（选填）"), required=False, widget=forms.Select)
    design_notes = forms.CharField(label=_("征集结果如何体现在活动中（选填）"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=(), consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = [(u.pk, u.name) for u in units]
        self.fields["consultation"].widget.choices = [("", gettext("（无）"))] + [(c.pk, c.title) for c in consultations]


class RegistrationForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=40, error_messages={"required": _("请填写姓名")})
    phone = forms.CharField(label=_("手机号"), max_length=20, error_messages={"required": _("请填写手机号")},
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
