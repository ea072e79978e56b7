"""Forms of the contact pages that are not inline cards: parse and check shape; services decide."""


from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.access import scoped
from niangjia.core.forms import StyledForm
from niangjia.people.models import Person

from .models import Kind


class PlanForOtherForm(StyledForm):
    """A manager sets a plan for someone in her reach (代为制定): the person by name, or fixed by ?person=."""

    person_q = forms.CharField(label=_("人员姓名"), max_length=50, required=False,
                               help_text=_("管辖范围内的领导班子成员、机关干部等；同名时请填写完整并核对所属组织"))
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("联系制度"), choices=Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    contact_point = forms.ChoiceField(label=_("基层联系点"), required=False)
    wechat_group = forms.CharField(label=_("好姐妹微信群"), max_length=80, required=False)

    def __init__(self, *args, actor, contact_points, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", periods.today().year)
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.points = {str(s.pk): s for s in contact_points}
        self.fields["contact_point"].choices = [("", _("—— 不指定 ——"))] + [(k, s.name) for k, s in self.points.items()]

    def clean(self):
        data = super().clean()
        data["person_obj"] = self._resolve_person()
        data["contact_point_obj"] = self.points.get(data.get("contact_point") or "")
        return data

    def _resolve_person(self):
        in_reach = scoped(Person.visible.filter(is_active=True).select_related("unit"), self.actor)
        pk = self.cleaned_data.get("person")
        if pk:
            found = list(in_reach.filter(pk=pk))
        else:
            name = (self.cleaned_data.get("person_q") or "").strip()
            if not name:
                self.add_error("person_q", _("请填写人员姓名"))
                return None
            found = list(in_reach.filter(name=name).order_by("id")[:6])
            if len(found) > 1:
                self.add_error("person_q", gettext("人员姓名：找到多名同名人员（") + "、".join(p.unit.name for p in found[:5]) + "）")
                return None
        if not found:
            self.add_error("person_q", _("人员姓名：找不到或不在您的管辖范围内"))
            return None
        return found[0]
