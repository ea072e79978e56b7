"""The one base of every HTML form: Bootstrap classes, messages that name the field in Chinese, the
version an edit carries, and date inputs a browser's date picker accepts.

Forms only parse and type input; the services decide and write (`core.web.submit` runs them).
"""

import copy

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import get_language, gettext, gettext_lazy

from .errors import DomainError

MSG_VERSION_MISSING = gettext_lazy("缺少版本号，请刷新页面后重试（页面可能已过期）")
MSG_VERSION_INVALID = gettext_lazy("版本号无效，请刷新页面后重试")


# How a message goes on after naming its field ("电话应为…", "姓名不能…"): then it needs no "电话：" in front.
_NAMING_TAILS = ("：", "应", "不能", "不可", "不得", "须", "必须", "的", "格式", "已", "超过", "过长", "至少", "最多")


def naming_the_field(label, message) -> str:
    """The message as a user reads it under its field: "电话：电话号码无效" unless it already names the field."""
    label, message = str(label or ""), str(message)
    if not label or message == label or message.startswith(label + "：") or (
            label in message and not message.startswith(label)):
        return message  # a label that asks ("请说说您的需求") can be its own message: said once
    if message.startswith(label) and message[len(label):].startswith(_NAMING_TAILS):
        return message
    return f"{label}：{message}"


def form_errors_from(form, exc: DomainError, field_map: dict[str, str] | None = None, *, field: str | None = None) -> None:
    """Put a service's refusal on the form: on the named fields where the form has them, else on top; a
    form of one input (an upload) names it as `field`, and every refusal is said there as its message."""
    field_map = field_map or {}
    if field in form.fields:
        form.add_error(field, exc.message)
        return
    unplaced = not exc.fields
    for name, msg in (exc.fields or {}).items():
        target = field_map.get(name, name)
        if target in form.fields:
            form.add_error(target, naming_the_field(form.fields[target].label or target, msg))
        else:
            unplaced = True
    if unplaced:
        form.add_error(None, exc.message)


def style_widget(widget: forms.Widget) -> None:
    """Bootstrap's class for the kind of input (kept when a form sets its own)."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # RadioSelect covers CheckboxSelectMultiple
        widget.attrs.setdefault("class", "form-check-input")
    elif isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "form-select")
    elif not isinstance(widget, forms.HiddenInput):
        widget.attrs.setdefault("class", "form-control")


def _defaults(field: forms.Field) -> dict:
    """The messages Django gives this kind of field when the form names none."""
    found: dict = {}
    for cls in reversed(type(field).__mro__):
        found.update(getattr(cls, "default_error_messages", {}))
    return found


def name_the_field(field: forms.Field) -> None:
    """Replace Django's generic messages with ones naming the field; a message the form wrote is kept."""
    label = str(field.label or "")
    if not label:
        return
    ours = {"required": gettext("请填写%(label)s") % {"label": label}}
    if isinstance(field, forms.IntegerField):
        ours["invalid"] = gettext("%(label)s应为整数") % {"label": label}
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        ours["invalid"] = gettext("%(label)s应为数字") % {"label": label}
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        # these two are formatted again with the limit: a "%" in the label ("权重（%）") must stay literal
        ours["min_value"] = gettext("%(label)s不能小于 %%(limit_value)s") % {"label": label.replace("%", "%%")}
        ours["max_value"] = gettext("%(label)s不能大于 %%(limit_value)s") % {"label": label.replace("%", "%%")}
    if isinstance(field, forms.DateField):
        ours["invalid"] = gettext("%(label)s应为日期，如 2026-03-08") % {"label": label}
    if isinstance(field, forms.ChoiceField):
        ours["invalid_choice"] = gettext("%(label)s的选项无效") % {"label": label}
    defaults = _defaults(field)
    for key, message in ours.items():
        if key not in field.error_messages or field.error_messages[key] is defaults.get(key):
            field.error_messages[key] = message


def _style(field: forms.Field) -> None:
    style_widget(field.widget)
    name_the_field(field)


# Each form class's declared fields, styled once per language: a form copies them (as Django copies its
# declared fields) instead of styling every field again on every request (3% of a public form POST's CPU)
_styled: dict[tuple[type, str | None], dict] = {}


def styled_fields(cls: type, language: str | None) -> dict:
    """`cls`'s declared fields styled in `language` (the active one's messages); shared: copy before changing."""
    key = (cls, language)
    found = _styled.get(key)
    if found is None:
        found = copy.deepcopy(cls.base_fields)
        for field in found.values():
            _style(field)
        _styled[key] = found  # at most one entry per form class and language
    return found


class StyledForm(forms.Form):
    """Bootstrap classes on every widget and Chinese messages naming each field
    (call `style()` again after adding fields in `__init__`)."""

    def __init__(self, *args, **kwargs):
        self.base_fields = styled_fields(type(self), get_language())  # BaseForm.__init__ copies them
        super().__init__(*args, **kwargs)

    def style(self) -> None:
        for field in self.fields.values():
            _style(field)

    def full_clean(self):
        """A hidden field's error (the version) goes on top of the form: there is nowhere else to see it."""
        super().full_clean()
        if not self.is_bound:
            return
        for name in [n for n in self._errors if n in self.fields and self.fields[n].widget.is_hidden]:
            problems = self._errors.pop(name)
            if NON_FIELD_ERRORS not in self._errors:
                self._errors[NON_FIELD_ERRORS] = self.error_class(error_class="nonfield", renderer=self.renderer)
            self._errors[NON_FIELD_ERRORS].extend(p for p in problems if p not in self._errors[NON_FIELD_ERRORS])

    def add_domain_error(self, exc, field_map: dict[str, str] | None = None) -> None:
        """Put a service's refusal on the fields it names (the rest on top of the form)."""
        form_errors_from(self, exc, field_map)


class VersionField(forms.IntegerField):
    """The version of the record the form was filled from; hidden, never guessed."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**62)
        kwargs.setdefault("error_messages", {
            "required": MSG_VERSION_MISSING, "invalid": MSG_VERSION_INVALID,
            "min_value": MSG_VERSION_INVALID, "max_value": MSG_VERSION_INVALID,
        })
        super().__init__(**kwargs)


class VersionedForm(StyledForm):
    """A form that edits an existing record: it must post back the version it was filled from.

    The version is required whenever the form was filled from a record (`initial["version"]`) or
    `versioned=True`; a form shared by create and edit stays optional on create. Edit-only forms can
    declare `version = VersionField()` on any StyledForm instead."""

    version = VersionField(required=False)

    def __init__(self, *args, versioned: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if versioned is None:
            versioned = self.initial.get("version") is not None
        self.fields["version"].required = versioned


class VersionOnlyForm(StyledForm):
    """A button that changes a record (cancel, withdraw): the version is all it posts."""

    version = VersionField()


class DateInput(forms.DateInput):
    """A browser date picker: `<input type=date>` only accepts YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own argument name)
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class DateField(forms.DateField):
    """A date field with the browser's picker."""

    widget = DateInput
