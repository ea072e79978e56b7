"""Forms only parse and type the input; the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import DateInput, StyledForm, VersionedForm, VersionField

from .models import TAGS, Person, Post

SORTS = {
    "name": (_("姓名"), ("name_pinyin", "name", "id")),
    "new": (_("最近新增"), ("-id",)),
    "old": (_("最早新增"), ("id",)),
}
ACTIVE = [("1", _("有效")), ("0", _("已停用")), ("all", _("全部"))]




class PersonFilterForm(StyledForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=80,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、拼音、首字母、电话或身份证号"),
                                                      "type": "search"}))
    unit = forms.IntegerField(label=_("组织"), required=False, widget=forms.Select)
    tag = forms.ChoiceField(label=_("标签"), required=False, choices=[("", _("全部标签")), *TAGS.items()])
    body = forms.ChoiceField(label=_("机构"), required=False, choices=[("", _("全部机构")), *Post.Body.choices])
    active = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=[(k, v[0]) for k, v in SORTS.items()])

    def active_value(self) -> bool | None:
        v = self.cleaned_data.get("active") or "1"
        return None if v == "all" else v == "1"


class PersonForm(VersionedForm):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    gender = forms.ChoiceField(label=_("性别"), choices=Person.Gender.choices)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("电话"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address = forms.CharField(label=_("地址"), required=False, max_length=300,
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    workplace = forms.CharField(label=_("工作单位/职业"), required=False, max_length=120)
    tags = forms.MultipleChoiceField(label=_("标签"), required=False, choices=list(TAGS.items()),
                                     widget=forms.CheckboxSelectMultiple)
    grassroots_frontline = forms.BooleanField(label=_("基层一线"), required=False)
    origin = forms.ChoiceField(label=_("来源地"), required=False, choices=Person.Origin.choices)
    unit = forms.IntegerField(label=_("所属组织"), required=False, widget=forms.Select)

    PERSON_FIELDS = ("name", "gender", "workplace", "tags", "grassroots_frontline", "origin")
    SENSITIVE = ("phone", "id_number", "address")

    def person_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.PERSON_FIELDS}

    def birth_given(self) -> dict:
        """The birth date only when typed in (it is sealed: the edit form never shows it, so empty = unchanged)."""
        born = self.cleaned_data.get("birth_date")
        return {"birth_date": born} if born else {}

    def sensitive_given(self) -> dict:
        """Only the sensitive values typed in; an empty box on the edit form leaves the value as it is."""
        given = {k: self.cleaned_data[k] for k in self.SENSITIVE if (self.cleaned_data.get(k) or "").strip()}
        return {**self.birth_given(), **given}


class PostForm(StyledForm):
    unit = forms.IntegerField(label=_("任职组织"), required=False, widget=forms.Select)
    body = forms.ChoiceField(label=_("机构"), choices=Post.Body.choices)
    title = forms.CharField(label=_("职务"), max_length=50, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("如：主席、副主席、执委")}))
    tenure = forms.ChoiceField(label=_("任职方式"), choices=Post.Tenure.choices, initial=Post.Tenure.PART_TIME)
    start_date = forms.DateField(label=_("任职开始"), required=False, widget=DateInput())


class EndPostForm(forms.Form):
    end_date = forms.DateField(label=_("任职结束"))
    version = VersionField()


class ImportUploadForm(StyledForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
