"""core.forms.StyledForm: fields styled once per form class and language, each form its own copy."""

from django import forms
from django.utils import translation

from niangjia.core.forms import StyledForm


class Sample(StyledForm):
    name = forms.CharField(label="姓名", max_length=5)
    count = forms.IntegerField(label="人数", min_value=1)
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲")])


def test_messages_name_the_field_in_the_language_active_when_the_form_is_made():
    with translation.override("zh-hans"):
        zh = Sample({"count": "x", "kind": "z"})
        assert not zh.is_valid()
    with translation.override("en"):
        en = Sample({"count": "x", "kind": "z"})
        assert not en.is_valid()
    with translation.override("zh-hans"):
        again = Sample({})
        assert not again.is_valid()
    assert zh.errors["name"] == ["请填写姓名"] and zh.errors["count"] == ["人数应为整数"]
    assert zh.errors["kind"] == ["类别的选项无效"]
    assert en.errors["name"] == ["Please fill in 姓名"]
    assert again.errors["name"] == ["请填写姓名"]  # not the English of the form made in between


def test_each_form_has_its_own_fields_and_the_class_keeps_its_own():
    first = Sample()
    first.fields["name"].widget.attrs["class"] = "changed"
    first.fields["name"].error_messages["required"] = "changed"
    first.fields["extra"] = forms.CharField()
    second = Sample({})
    assert second.fields["name"].widget.attrs["class"] == "form-control"
    assert "extra" not in second.fields
    assert not second.is_valid() and second.errors["name"] == ["请填写姓名"]
    assert Sample.base_fields["name"].widget.attrs.get("class") is None  # the declared fields stay as declared
    assert Sample().fields["kind"].widget.attrs["class"] == "form-select"


def test_a_field_added_in_init_is_styled_by_calling_style_again():
    class Added(Sample):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["phone"] = forms.CharField(label="电话")
            self.style()

    form = Added({})
    assert form.fields["phone"].widget.attrs["class"] == "form-control"
    assert not form.is_valid() and form.errors["phone"] == ["请填写电话"]
