"""Forms only parse and type the input; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.forms import DateInput, StyledForm, VersionedForm, VersionField
from niangjia.people.models import Post

from .models import Evidence, EvidenceKind, Review, TargetKind


class EvidenceForm(StyledForm):
    what = forms.CharField(label=_("做了什么"), max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": _("如：走访代表王芳，听取对妇女之家的建议"),
                                                         "autocomplete": "off"}),
                           error_messages={"required": _("请填写做了什么")})
    day = forms.DateField(label=_("日期"), widget=DateInput(),
                          error_messages={"required": _("请填写日期"), "invalid": _("日期格式应为 年-月-日")})
    with_whom = forms.CharField(label=_("和谁"), max_length=200, required=False,
                                widget=forms.TextInput(attrs={"placeholder": _("如：王芳、李梅（选填）")}))
    attachment = forms.FileField(label=_("照片或文件（选填）"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"}))
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    link_pick = forms.ChoiceField(label=_("本人的调研报告、建议案或日记（选填）"), required=False, choices=())
    link_type = forms.ChoiceField(label=_("关联材料（选填）"), required=False, choices=Evidence.LinkType.choices)
    link_text = forms.CharField(label=_("材料名称"), max_length=200, required=False,
                                widget=forms.TextInput(attrs={"placeholder": _("如：关于农村留守妇女就业的调研报告")}))

    def __init__(self, *args, works=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = periods.today()
        self.fields["link_pick"].choices = [("", _("—— 不关联 ——")), *works]

    def picked(self) -> tuple[str, int | None]:
        """(link_type, link_id) of the picked material, else the typed type and no id."""
        raw = self.cleaned_data.get("link_pick") or ""
        if ":" in raw:
            kind, pk = raw.split(":", 1)
            return kind, int(pk)
        return self.cleaned_data.get("link_type") or "", None


class CorrectForm(StyledForm):
    what = forms.CharField(label=_("做了什么"), max_length=200, error_messages={"required": _("请填写做了什么")})
    day = forms.DateField(label=_("日期"), widget=DateInput(),
                          error_messages={"required": _("请填写日期"), "invalid": _("日期格式应为 年-月-日")})
    with_whom = forms.CharField(label=_("和谁"), max_length=200, required=False)
    link_text = forms.CharField(label=_("关联材料名称"), max_length=200, required=False)
    version = VersionField()


class TemplateEditForm(StyledForm):
    name = forms.CharField(label=_("清单名称"), max_length=100, error_messages={"required": _("请填写清单名称")})
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    version = VersionField()


class TemplateForm(StyledForm):
    unit = forms.IntegerField(label=_("所属组织"), widget=forms.Select)
    name = forms.CharField(label=_("清单名称"), max_length=100, error_messages={"required": _("请填写清单名称")})
    description = forms.CharField(label=_("说明"), max_length=300, required=False)


class ItemForm(StyledForm):
    title = forms.CharField(label=_("事项"), max_length=100, error_messages={"required": _("请填写事项")})
    target_kind = forms.ChoiceField(label=_("目标方式"), choices=TargetKind.choices)
    target_min = forms.IntegerField(label=_("目标数"), min_value=1, max_value=999,
                                    error_messages={"required": _("请填写目标数"), "min_value": _("目标数至少为 1")})
    target_max = forms.IntegerField(label=_("上限（介于时填写）"), required=False, min_value=1, max_value=999)
    noun = forms.CharField(label=_("计量"), max_length=12, required=False, widget=forms.TextInput(attrs={"placeholder": _("如：名代表")}))
    evidence_kind = forms.ChoiceField(label=_("佐证类别"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    order = forms.IntegerField(label=_("序号"), min_value=1, max_value=999, required=False)


class HandOutForm(StyledForm):
    template = forms.IntegerField(label=_("清单"), widget=forms.Select, error_messages={"required": _("请选择清单")})
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, error_messages={"required": _("请填写年度")})
    body = forms.ChoiceField(label=_("下发给"), required=False, choices=[("", _("下面勾选的人员"))] + list(Post.Body.choices))
    person_ids = forms.TypedMultipleChoiceField(label=_("人员"), required=False, coerce=int, choices=(),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_ids"].choices = list(members)
        self.fields["year"].initial = periods.today().year
        self.fields["body"].initial = Post.Body.EXECUTIVE


class ReviewForm(VersionedForm):
    rating = forms.ChoiceField(label=_("评议等次"), choices=Review.Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择评议等次")})
    comment = forms.CharField(label=_("评议意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reviewed_on = forms.DateField(label=_("评议日期"), widget=DateInput(),
                                  error_messages={"required": _("请填写评议日期")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = periods.today()


class WithdrawForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(max_length=200, required=False)
