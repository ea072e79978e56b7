"""Forms only parse and type the input; the services validate and decide."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import DateInput, StyledForm

from .models import Category, Need


def _required(label: str) -> dict:
    return {"required": gettext("请填写{label}").format(label=label), "invalid_choice": gettext("请选择{label}").format(label=label)}


def _pick(label: str) -> dict:
    return {"required": gettext("请选择{label}").format(label=label), "invalid_choice": gettext("请选择{label}").format(label=label), "invalid": gettext("请选择{label}").format(label=label)}


class NeedForm(StyledForm):
    unit = forms.TypedChoiceField(label=_("所在组织"), coerce=int, error_messages=_pick(_("所在组织")))
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择"))] + Category.choices,
                                 error_messages=_pick(_("类别")))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Need.Urgency.choices, initial="normal")
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[("", _("请选择"))] + Need.Channel.choices,
                                error_messages=_pick(_("来源渠道")))
    description = forms.CharField(label=_("需求内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": _("请填写需求内容"), "max_length": _("需求内容不能超过 500 字")})
    day = forms.DateField(label=_("听取日期"), required=False, widget=DateInput(),
                          error_messages={"invalid": _("日期格式应为 年-月-日")})
    contact_name = forms.CharField(label=_("联系人（选填）"), max_length=20, required=False,
                                   error_messages={"max_length": _("联系人不能超过 20 字")})
    contact_phone = forms.CharField(label=_("联系电话（选填）"), max_length=30, required=False)
    # picked from the people register by the search of needs/partials/_person_picker.html
    person = forms.IntegerField(label=_("提出人（已登记的人员，选填）"), required=False,
                                error_messages={"invalid": _("请从查找结果中选择提出人")})

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("请选择"))] + [(u.pk, u.name) for u in units]


class NeedEditForm(StyledForm):
    """Corrections after intake: what, how urgent, where, and who."""

    unit = NeedForm.base_fields["unit"]
    category = NeedForm.base_fields["category"]
    urgency = NeedForm.base_fields["urgency"]
    description = NeedForm.base_fields["description"]
    person = NeedForm.base_fields["person"]

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("请选择"))] + [(u.pk, u.name) for u in units]


class ServiceForm(StyledForm):
    unit = forms.TypedChoiceField(label=_("维护组织"), coerce=int, error_messages=_pick(_("维护组织")))
    name = forms.CharField(label=_("服务名称"), max_length=100, error_messages=_required(_("服务名称")))
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("请选择"))] + Category.choices,
                                 error_messages=_pick(_("类别")))
    description = forms.CharField(label=_("服务说明"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    government_purchased = forms.BooleanField(label=_("政府购买服务"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("请选择"))] + [(u.pk, u.name) for u in units]


class ProviderForm(StyledForm):
    organisation = forms.TypedChoiceField(label=_("合作组织"), coerce=int, error_messages=_pick(_("合作组织")))
    services = forms.TypedMultipleChoiceField(label=_("提供的服务"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                              error_messages={"required": _("请选择提供的服务")})
    areas = forms.TypedMultipleChoiceField(label=_("服务区域（覆盖其全部下级）"), coerce=int,
                                           widget=forms.SelectMultiple(attrs={"size": 6}),
                                           error_messages={"required": _("请选择服务区域")})
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, organisations=(), services=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("请选择"))] + [(o.pk, f"{o.name}（{o.unit.name}）")
                                                                for o in organisations]
        self.fields["services"].choices = [(s.pk, f"{s.name}（{s.get_category_display()}）") for s in services]
        self.fields["areas"].choices = [(u.pk, u.name) for u in units]


class PublicNeedForm(StyledForm):
    """What a woman fills in on the public page: short, every message names the field."""

    service = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("需求类别"), choices=[("", _("请选择"))] + Category.choices, required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=[("normal", _("一般")), ("urgent", _("紧急"))], initial="normal",
                                widget=forms.RadioSelect)
    description = forms.CharField(label=_("请说说您的需求"), max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("例如：想参加电商技能培训；孩子教育方面想请教老师")}),
                                  error_messages={"required": _("请说说您的需求"), "max_length": _("需求内容不能超过 500 字")})
    contact_name = forms.CharField(label=_("怎么称呼您（选填）"), max_length=20, required=False,
                                   error_messages={"max_length": _("称呼不能超过 20 字")})
    contact_phone = forms.CharField(label=_("联系电话（选填，方便工作人员联系您）"), max_length=30, required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages={"required": _("页面已过期，请刷新后重试")})

    def clean(self):
        data = super().clean()
        if not data.get("service") and not data.get("category"):
            self.add_error("category", _("请选择需求类别"))
        return data


class RateForm(StyledForm):
    rating = forms.TypedChoiceField(label=_("评价"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(5, _("5 很满意")), (4, _("4 满意")), (3, _("3 一般")), (2, _("2 不满意")),
                                             (1, _("1 很不满意"))],
                                    error_messages={"required": _("请选择评价（1–5 分）"), "invalid_choice": _("评价应为 1–5 分")})
    comment = forms.CharField(label=_("意见建议（选填）"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
