"""Forms only parse and type the input; the services validate and decide."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import DateInput, StyledForm, VersionField

from .models import AwardRound, Objection


def _unit_choices(units) -> list[tuple[str, str]]:
    return [("", gettext("请选择"))] + [(str(u.pk), u.name) for u in units]


class RoundForm(StyledForm):
    unit = forms.ChoiceField(label=_("组织评选的妇联"))
    name = forms.CharField(label=_("评选名称"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("如：2026年度湖州市三八红旗手评选")}))
    award = forms.CharField(label=_("荣誉称号"), max_length=40, initial=_("三八红旗手"))
    kind = forms.ChoiceField(label=_("表彰对象"), choices=AwardRound.Kind.choices)
    description = forms.CharField(label=_("说明（选填）"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    places = forms.IntegerField(label=_("表彰名额"), min_value=1, max_value=999, initial=10)
    default_org_quota = forms.IntegerField(label=_("每个下级妇联的组织推荐名额"), min_value=0, max_value=999)
    public_quota = forms.IntegerField(label=_("社会推荐名额（全轮合计）"), min_value=0, max_value=999)
    mode = forms.ChoiceField(label=_("群众评议方式"), choices=AwardRound.Mode.choices)
    max_choices = forms.IntegerField(label=_("投票时每人最多可选"), min_value=0, max_value=99)
    nomination_ends = forms.DateField(label=_("推荐截止日期"), widget=DateInput())
    evaluation_ends = forms.DateField(label=_("评议截止日期"), widget=DateInput())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class RoundEditForm(RoundForm):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]
        del self.fields["kind"]


class QuotaForm(StyledForm):
    unit = forms.ChoiceField(label=_("下级妇联"))
    org_quota = forms.IntegerField(label=_("组织推荐名额"), min_value=0, max_value=999, required=False,
                                   help_text=_("留空则恢复默认名额"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class OrgNominationForm(StyledForm):
    unit = forms.ChoiceField(label=_("推荐单位"))
    nominee_name = forms.CharField(label=_("被推荐人（集体）"), max_length=100)
    nominee_place = forms.CharField(label=_("所在单位或村社区"), max_length=100)
    deeds = forms.CharField(label=_("主要事迹"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    nominee_phone = forms.CharField(label=_("被推荐人手机号（选填，用于短信确认本人同意）"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    consent_in_person = forms.BooleanField(label=_("已当面征得本人同意"), required=False)
    consent_note = forms.CharField(label=_("确认说明（选填）"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"placeholder": _("如：5月8日入户当面确认")}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class ConsentForm(StyledForm):
    given = forms.TypedChoiceField(label=_("本人意见"), choices=[("1", _("同意被推荐")), ("0", _("不同意"))], coerce=lambda v: v == "1",
                                   widget=forms.RadioSelect, initial="1")
    note = forms.CharField(label=_("确认说明"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("如：在村妇女之家当面确认")}))


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class AnswerForm(StyledForm):
    outcome = forms.ChoiceField(label=_("答复结论"), choices=[c for c in Objection.Outcome.choices if c[0]],
                                widget=forms.RadioSelect)
    answer = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()


class LinksForm(StyledForm):
    phones = forms.CharField(label=_("评议人手机号（每行一个，逐个短信发送链接）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4, "inputmode": "tel"}))
    count = forms.IntegerField(label=_("另外生成链接数（打印或转交）"), min_value=0, max_value=500, initial=0, required=False)


# ---------------------------------------------------------------- public forms


class PublicNominationForm(StyledForm):
    form_key = forms.CharField(widget=forms.HiddenInput)
    place_unit = forms.ChoiceField(label=_("被推荐人所在地区"))
    nominee_name = forms.CharField(label=_("被推荐人姓名（或集体名称）"), max_length=100)
    nominee_place = forms.CharField(label=_("被推荐人所在单位或村（社区）"), max_length=100)
    deeds = forms.CharField(label=_("主要事迹"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))
    nominee_phone = forms.CharField(label=_("被推荐人手机号（选填，我们会发短信请她本人确认）"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    nominator_name = forms.CharField(label=_("您的姓名"), max_length=50)
    nominator_phone = forms.CharField(label=_("您的手机号（仅工作人员可见，用于核实）"), max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_unit"].choices = _unit_choices(units)


class ObjectionForm(StyledForm):
    form_key = forms.CharField(widget=forms.HiddenInput)
    nomination = forms.ChoiceField(label=_("针对的拟表彰对象"))
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label=_("您的姓名（选填）"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话（选填，便于我们答复您）"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, nominees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", gettext("请选择"))] + [(str(n.pk), f"{n.nominee_name}（{n.nominee_place}）")
                                                              for n in nominees]


class PhoneForm(StyledForm):
    phone = forms.CharField(label=_("手机号"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
