"""A form built from a policy's editable parameters (core.policy_params), one field per figure."""

from django import forms
from django.utils.translation import gettext as _

from niangjia.core import policy_params
from niangjia.core.forms import StyledForm, VersionField


class PolicyForm(StyledForm):
    version = VersionField()

    def __init__(self, *args, key: str, preset: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.key, self.preset = key, preset
        self.params = policy_params.parameters(key, preset)
        for p in self.params:
            self.fields[p.path] = _field(p)
        self.style()

    def clean(self):
        data = super().clean()
        raw = {p.path: data.get(p.path) for p in self.params}
        value, errors = policy_params.parse(self.key, self.preset, {k: _raw(v) for k, v in raw.items()})
        for path, message in errors.items():
            self.add_error(path, message)
        if not errors:
            for path, message in policy_params.whole_problems(self.key, value).items():
                self.add_error(path, message)
        data["value"] = value
        return data


def _field(p: policy_params.Param) -> forms.Field:
    if p.kind == "bool":
        return forms.BooleanField(label=p.label, required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    if p.kind == "choice":
        return forms.ChoiceField(label=p.label, choices=p.choices, widget=forms.Select(attrs={"class": "form-select"}),
                                 error_messages={"invalid_choice": _("“{label}”的选项无效").format(label=p.label)})
    return forms.CharField(label=p.label, error_messages={"required": _("请填写“{label}”").format(label=p.label)},
                           widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric",
                                                           "min": 0, "step": 1}))


def _raw(v):
    return ("1" if v else "") if isinstance(v, bool) else v


def initial_of(key: str, preset: dict, value: dict, version: int) -> dict:
    out = {"version": version}
    for p in policy_params.parameters(key, preset):
        out[p.path] = policy_params.get_path(value, p.path)
    return out
