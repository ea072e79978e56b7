"""One front door for HTML edits (core.forms, core.web.submit/act, the shared partials, {% can %}):
an edit must carry the version it was read at — missing or garbage is refused with a clear message
(400), a stale one is refused as stale (409) — and nothing is written when it is refused."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from niangjia.core.access import may, register_may
from niangjia.core.forms import (
    MSG_VERSION_INVALID,
    MSG_VERSION_MISSING,
    DateInput,
    StyledForm,
    VersionedForm,
    VersionField,
    naming_the_field,
)
from niangjia.org.models import Federation

EDIT = {"name": "东县妇女联合会", "form": "federation", "staffing_quota": 9, "departments_quota": 2}


class _Form(StyledForm):
    name = forms.CharField(label="姓名")
    age = forms.IntegerField(label="年龄", min_value=0, required=False)
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲")], widget=forms.RadioSelect)
    day = forms.DateField(label="日期", required=False, widget=DateInput())
    own = forms.CharField(label="备注", required=False, max_length=2, error_messages={"max_length": "备注太长"})


class _Edit(VersionedForm):
    name = forms.CharField(label="姓名")


def test_styled_form_dresses_widgets_and_names_the_field_in_its_messages():
    # given a form posted with nothing filled in and a bad number
    form = _Form({"age": "x", "own": "太长了"})
    # then every widget has Bootstrap's class for its kind
    assert form.fields["name"].widget.attrs["class"] == "form-control"
    assert form.fields["kind"].widget.attrs["class"] == "form-check-input"
    # and the messages say which field is wrong; a message the form wrote itself is kept
    assert not form.is_valid()
    assert form.errors["name"] == ["请填写姓名"]
    assert form.errors["age"] == ["年龄应为整数"]
    assert form.errors["kind"] == ["请填写类别"]
    assert form.errors["own"] == ["备注太长"]


def test_a_percent_sign_in_a_label_survives_the_limit_messages():
    class Weights(StyledForm):
        weight = forms.DecimalField(label="权重（%）", min_value=0, max_value=100)

    assert Weights({"weight": "101"}).errors["weight"] == ["权重（%）不能大于 100"]


def test_date_input_renders_what_a_browser_date_picker_accepts():
    # Chinese locale formats dates with slashes; <input type=date> only takes YYYY-MM-DD
    with translation.override("zh-hans"):
        html = _Form(initial={"day": date(2026, 3, 8)})["day"].as_widget()
    assert 'type="date"' in html and 'value="2026-03-08"' in html


def test_a_versioned_form_refuses_a_missing_or_garbage_version_on_top_of_the_form():
    # an edit form (filled from a record) posted without its version
    missing = _Edit({"name": "王芳"}, initial={"version": 3})
    assert not missing.is_valid() and missing.non_field_errors() == [str(MSG_VERSION_MISSING)]
    garbage = _Edit({"name": "王芳", "version": "abc"}, initial={"version": 3})
    assert not garbage.is_valid() and garbage.non_field_errors() == [str(MSG_VERSION_INVALID)]
    # the same form used to create a record needs none
    assert _Edit({"name": "王芳"}).is_valid()
    # and it renders the version it was filled from, hidden
    assert '<input type="hidden" name="version" value="3"' in str(_Edit(initial={"version": 3, "name": "王芳"}))


def test_version_field_alone_is_required():
    class Button(StyledForm):
        version = VersionField()

    assert not Button({}).is_valid()
    assert Button({"version": "7"}).is_valid()


def test_errors_under_a_field_name_it_once():
    assert naming_the_field("电话", "电话号码无效") == "电话：电话号码无效"
    assert naming_the_field("电话", "请填写电话") == "请填写电话"
    assert naming_the_field("年龄", "年龄应为整数") == "年龄应为整数"
    assert naming_the_field("电话", "电话：号码无效") == "电话：号码无效"
    assert naming_the_field("请说说您的需求", "请说说您的需求") == "请说说您的需求"  # was said twice


# ---- the edit views --------------------------------------------------------------------------


def test_edit_page_carries_its_version_hidden(tree, personas, client):
    client.force_login(personas.east)
    html = client.get(f"/org/{tree.east.id}/edit/").content.decode()
    assert 'type="hidden" name="version" value="1"' in html


@pytest.mark.parametrize("version, status, message", [
    (None, 400, "缺少版本号"),
    ("abc", 400, "版本号无效"),
    ("-1", 400, "版本号无效"),
    ("0", 409, "该记录已被他人修改"),
])
def test_edit_without_a_good_version_is_refused_and_writes_nothing(tree, personas, client, version, status, message):
    # given the east county cadre editing her county
    client.force_login(personas.east)
    data = {**EDIT, "code": tree.east.code}
    if version is not None:
        data["version"] = version
    # when she posts without the version she read (or a broken one, or an old one)
    resp = client.post(f"/org/{tree.east.id}/edit/", data)
    # then the form comes back with the reason and nothing is written
    assert resp.status_code == status and message in resp.content.decode()
    assert Federation.objects.get(pk=tree.east.pk).name == "东县妇联"


def test_edit_with_its_version_saves(tree, personas, client):
    client.force_login(personas.east)
    resp = client.post(f"/org/{tree.east.id}/edit/", {**EDIT, "code": tree.east.code, "version": 1})
    assert resp.status_code == 302
    assert Federation.objects.get(pk=tree.east.pk).name == "东县妇女联合会"


def test_a_button_post_without_its_version_is_refused_with_a_message(tree, personas, client):
    # given the toggle that switches a federation off (a button, no form to show again)
    client.force_login(personas.province)
    # when it is posted without the version
    resp = client.post(f"/org/{tree.east_village.id}/active/", {"active": ""}, follow=True)
    # then the page says why and the federation stays active
    assert "版本号" in resp.content.decode()
    assert Federation.objects.get(pk=tree.east_village.pk).is_active


# ---- what a user may do ------------------------------------------------------------------------


def test_can_asks_the_role_and_the_reach(tree, personas):
    east, west = Federation.objects.get(pk=tree.east.pk), Federation.objects.get(pk=tree.west.pk)
    assert may(personas.east, "org.edit") and not may(personas.statistician, "org.edit")
    # a scoped record: only inside her reach
    assert may(personas.east, "org.edit", east) and not may(personas.east, "org.edit", west)
    with pytest.raises(KeyError):
        may(personas.east, "org.edti")  # a typo never hides a button silently


def test_can_uses_an_apps_rule_for_its_records(tree, personas):
    class Note:
        def __init__(self, owner):
            self.owner = owner

    register_may("notes.edit", Note, lambda user, note: note.owner == user.pk)
    html = Template("{% load niangjia %}{% can user 'notes.edit' note as ok %}{{ ok }}|"
                    "{% if user|can:'org.edit' %}edit{% endif %}")
    assert html.render(Context({"user": personas.east, "note": Note(personas.east.pk)})) == "True|edit"
    assert html.render(Context({"user": personas.statistician, "note": Note(personas.east.pk)})) == "False|"
