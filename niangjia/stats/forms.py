"""Forms of the stats pages: the dashboard filter and logging an activity."""

from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.forms import DateInput, StyledForm
from niangjia.org.queries import federations_for, unit_options_for

from .models import ActivityLog

MAX_DAYS = 366 * 5


def default_range() -> tuple[date, date]:
    today = periods.today()
    return date(today.year - 1, today.month, 1), today


class UnitChoiceMixin:
    """A unit select over the actor's reach (roots and their children) plus an organisation code box."""

    def setup_units(self, actor, *, required: bool, selected=None):
        self.actor = actor
        raw = self.data.get("unit") if self.is_bound else None
        if selected is None and raw and str(raw).isdigit():
            selected = federations_for(actor).filter(pk=raw).first()  # a deeper unit linked from elsewhere
        options = unit_options_for(actor, selected=selected)
        blank = [] if required else [("", _("全部管辖范围"))]
        self.fields["unit"].choices = blank + [(str(u.pk), ("　" if options and u.level > options[0].level else "") + u.name)
                                               for u in options]

    def clean_unit_choice(self, required: bool):
        raw = self.cleaned_data.get("unit") or ""
        code = (self.cleaned_data.get("unit_code") or "").strip()
        if code:
            unit = federations_for(self.actor).filter(code=code).first()
            if unit is None:
                self.add_error("unit_code", _("组织代码：找不到或不在您的管辖范围内"))
            return unit
        if raw:
            unit = federations_for(self.actor).filter(pk=raw).first()
            if unit is None:
                self.add_error("unit", _("所属组织：不在您的管辖范围内"))
            return unit
        if required:
            self.add_error("unit", _("请选择所属组织"))
        return None


class DashboardForm(UnitChoiceMixin, StyledForm):
    unit = forms.ChoiceField(label=_("组织范围"), required=False)
    unit_code = forms.CharField(label=_("或填组织代码"), required=False)
    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别"))] + ActivityLog.Category.choices)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_units(actor, required=False)

    def clean(self):
        data = super().clean()
        data["unit_obj"] = self.clean_unit_choice(required=False)
        start, end = default_range()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期"))
        elif (data["end"] - data["start"]).days > MAX_DAYS:
            self.add_error("end", _("日期范围最长 5 年"))
        return data


class ActivityForm(UnitChoiceMixin, StyledForm):
    unit = forms.ChoiceField(label=_("所属组织"), required=False)
    unit_code = forms.CharField(label=_("或填组织代码"), required=False, help_text=_("下级组织不在列表中时填写"))
    day = forms.DateField(label=_("日期"), widget=DateInput())
    category = forms.ChoiceField(label=_("类别"), choices=ActivityLog.Category.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    women_reached = forms.IntegerField(label=_("覆盖妇女人数"), min_value=0, initial=0)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_units(actor, required=True)

    def clean(self):
        data = super().clean()
        data["unit_obj"] = self.clean_unit_choice(required=True)
        day = data.get("day")
        if day and day > periods.today():
            self.add_error("day", _("日期不能晚于今天"))
        return data


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m", **kw)


def default_months() -> tuple[date, date]:
    """The last twelve months, this one included."""
    today = periods.today()
    first = date(today.year - 1, today.month, 1)
    return (date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)), today


class FiguresForm(UnitChoiceMixin, StyledForm):
    """The figures filter: a subtree and a span of whole months."""

    unit = forms.ChoiceField(label=_("组织范围"), required=False)
    unit_code = forms.CharField(label=_("或填组织代码"), required=False)
    start = forms.DateField(label=_("起始月份"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput())
    end = forms.DateField(label=_("截止月份"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_units(actor, required=False)
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = gettext("{fields}应为月份，如 2026-03").format(fields=self.fields[name].label)

    def clean(self):
        data = super().clean()
        data["unit_obj"] = self.clean_unit_choice(required=False)
        start, end = data.get("start"), data.get("end")
        if start and end:
            data["start"] = start.replace(day=1)
            data["end"] = periods.month_end(end)
            if data["end"] < data["start"]:
                self.add_error("end", _("截止月份早于起始月份"))
            elif (data["end"] - data["start"]).days > MAX_DAYS:
                self.add_error("end", _("统计期间不能超过 5 年"))
        return data
