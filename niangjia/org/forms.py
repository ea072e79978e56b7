"""Forms of the org pages: parse and check input shape; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from niangjia.core.forms import DateInput, StyledForm, VersionedForm, VersionField

from .models import Federation, Organisation, Site


class FederationForm(VersionedForm):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    code = forms.CharField(label=gettext_lazy("组织代码"), max_length=20, help_text=gettext_lazy("行政区划代码或自编代码"))
    form = forms.ChoiceField(label=gettext_lazy("组织形式"), choices=Federation.Form.choices, initial=Federation.Form.FEDERATION)
    staffing_quota = forms.IntegerField(label=gettext_lazy("编制数"), min_value=0, initial=0)
    departments_quota = forms.IntegerField(label=gettext_lazy("内设机构数"), min_value=0, initial=0)
    has_hotline = forms.BooleanField(label=gettext_lazy("设有12338热线"), required=False)

    FIELDS = ("name", "code", "form", "staffing_quota", "departments_quota", "has_hotline")

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}


class ActiveForm(StyledForm):
    """Deactivate / activate: only the version read, so a stale click is refused."""

    version = VersionField()
    active = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SiteForm(VersionedForm):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Site.Kind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)
    host = forms.CharField(label=gettext_lazy("依托单位"), max_length=120, required=False, help_text=gettext_lazy("如：蔬菜合作社、派出所、法院"))
    services = forms.CharField(label=gettext_lazy("服务内容"), required=False, help_text=gettext_lazy("多项用顿号或逗号分隔，如：微服务、微活动"))
    established_on = forms.DateField(label=gettext_lazy("设立日期"), required=False, widget=DateInput())

    FIELDS = ("kind", "name", "address", "host", "services", "established_on")

    def clean_services(self):
        raw = self.cleaned_data.get("services") or ""
        for sep in ("，", ",", "；", ";"):
            raw = raw.replace(sep, "、")
        return [s.strip() for s in raw.split("、") if s.strip()]

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}

    @classmethod
    def initial_from(cls, site: Site) -> dict:
        data = {f: getattr(site, f) for f in cls.FIELDS}
        data["services"] = "、".join(site.services or [])
        data["version"] = site.version
        return data


class OrganisationForm(VersionedForm):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Organisation.Kind.choices)
    agency_type = forms.ChoiceField(label=gettext_lazy("合作单位类别"), choices=Organisation.Agency.choices, required=False)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=150)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False, help_text=gettext_lazy("单位公开电话"))
    women_count = forms.IntegerField(label=gettext_lazy("女性人数"), min_value=0, initial=0)

    FIELDS = ("kind", "agency_type", "name", "contact_name", "contact_phone", "women_count")

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}

    @classmethod
    def initial_from(cls, obj: Organisation) -> dict:
        return {**{f: getattr(obj, f) for f in cls.FIELDS}, "version": obj.version}


class ConversionForm(StyledForm):
    converted_on = forms.DateField(label=gettext_lazy("换届改建日期"), widget=DateInput())
    executive_members_added = forms.IntegerField(label=gettext_lazy("新增执委人数"), min_value=0)
    with_village_election = forms.BooleanField(label=gettext_lazy("与村委会同步选举"), required=False, initial=True)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class RegionalisationForm(StyledForm):
    completed_on = forms.DateField(label=gettext_lazy("完成日期"), widget=DateInput())
    members_before = forms.IntegerField(label=gettext_lazy("改革前执委人数"), min_value=0)
    members_after = forms.IntegerField(label=gettext_lazy("改革后执委人数"), min_value=0)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        before, after = data.get("members_before"), data.get("members_after")
        if before is not None and after is not None and after < before:
            self.add_error("members_after", _("改革后执委人数不应少于改革前执委人数"))
        return data


class QuotaForm(VersionedForm):
    """One 机构编制核定 row: what was approved and from which day."""

    effective_on = forms.DateField(label=_("起始日期"), widget=DateInput(), help_text=_("核定文件规定的执行日期"))
    staff = forms.IntegerField(label=_("编制数"), min_value=0)
    departments = forms.IntegerField(label=_("内设机构数"), min_value=0)
    institutions = forms.IntegerField(label=_("直属事业单位数"), min_value=0)
    document = forms.CharField(label=_("核定依据"), max_length=200, required=False, help_text=_("如编办批复的文号"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    FIELDS = ("effective_on", "staff", "departments", "institutions", "document", "note")

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.FIELDS}

    @classmethod
    def initial_from(cls, quota) -> dict:
        return {**{f: getattr(quota, f) for f in cls.FIELDS}, "version": quota.version}


class QuotaCutForm(StyledForm):
    """The two days whose quotas the cut compares."""

    base = forms.DateField(label=_("精简前（日期）"), required=False, widget=DateInput())
    on = forms.DateField(label=_("精简后（日期）"), required=False, widget=DateInput())
