"""Forms of the login and user-administration pages; accounts.services decides and writes."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from niangjia.core import roles
from niangjia.core.forms import StyledForm, VersionedForm
from niangjia.core.roles import ROLES
from niangjia.org.queries import federations_for, unit_options_for


class LoginForm(StyledForm):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


def grantable_roles(actor) -> list[tuple[str, str]]:
    """Roles the actor may hand out: those within her own permissions (core.roles.can_grant)."""
    return roles.grantable_roles(actor)


class AccessForm(VersionedForm):
    """Roles and scope units; units come from a picker over the actor's reach or by organisation code."""

    roles = forms.MultipleChoiceField(label=gettext_lazy("角色"), widget=forms.CheckboxSelectMultiple)
    units = forms.MultipleChoiceField(label=gettext_lazy("管辖范围"), required=False,
                                      help_text=gettext_lazy("可多选；在手机上长按或点选"))
    unit_codes = forms.CharField(label=gettext_lazy("其他管辖范围（组织代码）"), required=False,
                                 help_text=gettext_lazy("不在上面列表中的下级组织，填写组织代码，多个用逗号分隔"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["roles"].choices = grantable_roles(actor)
        self.fields["roles"].error_messages["required"] = gettext("请至少选择一个角色")
        self.fields["roles"].widget.attrs.pop("class", None)
        selected = list(kwargs.get("initial", {}).get("unit_objs", []))
        if self.is_bound:  # units chosen earlier that lie deeper than the picker's first levels
            ids = [x for x in self.data.getlist("units") if str(x).isdigit()] if hasattr(self.data, "getlist") else []
            selected += list(federations_for(actor).filter(pk__in=ids))
        options = unit_options_for(actor)
        seen = {u.pk for u in options}
        for u in selected:
            if u.pk not in seen:
                options.append(u)
                seen.add(u.pk)
        self.fields["units"].choices = [(str(u.pk), f"{u.name}（{u.level_name}）") for u in options]
        self.fields["units"].widget.attrs["size"] = min(10, max(3, len(options)))

    def clean(self):
        data = super().clean()
        ids = [int(x) for x in data.get("units") or []]
        units = list(federations_for(self.actor).filter(pk__in=ids))
        codes = [c.strip() for c in (data.get("unit_codes") or "").replace("，", ",").split(",") if c.strip()]
        if codes:
            found = list(federations_for(self.actor).filter(code__in=codes))
            missing = sorted(set(codes) - {u.code for u in found})
            if missing:
                self.add_error("unit_codes", gettext("其他管辖范围：找不到或不在您的管辖范围内的组织代码 {value}").format(value='、'.join(missing)))
            units += [u for u in found if u.pk not in {x.pk for x in units}]
        if not units and not self.has_error("unit_codes"):
            self.add_error("units", gettext("请至少选择一个管辖范围"))
        data["unit_objs"] = units
        return data


class UserCreateForm(AccessForm):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("姓名"), max_length=150, required=False)
    password = forms.CharField(label=gettext_lazy("初始密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=gettext_lazy("再次输入密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["username", "first_name", "password", "password2", "roles", "units", "unit_codes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["password"].help_text = (
            gettext("至少 {PASSWORD_MIN_LENGTH} 个字符，包含小写字母、大写字母、数字、符号中的至少 {PASSWORD_MIN_CLASSES} 类；不能是常见密码、纯数字，也不能与用户名相近").format(PASSWORD_MIN_LENGTH=settings.PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES=settings.PASSWORD_MIN_CLASSES))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", gettext("两次输入的密码不一致"))
        return data


class UserFilterForm(forms.Form):
    q = forms.CharField(required=False)
    role = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部角色"))] + [(c, n) for c, (n, _) in ROLES.items()])
    active = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), ("1", gettext_lazy("启用")), ("0", gettext_lazy("停用"))])
