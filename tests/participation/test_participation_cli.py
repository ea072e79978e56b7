"""CLI: `niangjia export` writes every participation list scoped as the actor sees it (phones masked),
and `participation_close_due` closes registration of activities whose day has passed, safe twice."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from niangjia.core.models import AuditEntry
from niangjia.participation import services
from niangjia.participation.models import Activity
from tests.participation.conftest import (
    PHONE_A,
    good_sheet,
    make_activity,
    make_consultation,
    phone,
)


def export(name, actor, tmp_path, **kw):
    out = tmp_path / f"{name}-{actor}.xlsx"
    call_command("export_list", name, actor=actor, output=str(out), stdout=io.StringIO(), **kw)
    return list(load_workbook(out).active.values)


@pytest.fixture
def east_world(tree, personas):
    c = make_consultation(personas.east, tree.east)
    services.submit_response(consultation=c, values=good_sheet(c, "要午饭"), channel="website", key="k1")
    services.submit_suggestion(federation=tree.east, text="路灯坏了", channel="website", key="s1", anonymous=False,
                               contact_name="王", contact_phone=PHONE_A)
    a = make_activity(personas.east, tree.east)
    services.codesigner_add(actor=personas.east, activity=a, name="李春燕")
    services.register(activity=a, name="甲", phone=phone(1), key="r1")
    services.submit_suggestion(federation=tree.west, text="西县的信", channel="website", key="s2")
    return c, a


@pytest.mark.parametrize("name, header, east_rows", [
    ("consultations", "标题", 1),
    ("consultation_answers", "意见征集", 4),
    ("suggestions", "意见内容", 1),
    ("participation_activities", "活动", 1),
    ("activity_registrations", "姓名", 1),
])
def test_exports_are_scoped(east_world, tmp_path, name, header, east_rows):
    rows = export(name, "east", tmp_path)
    assert header in rows[0] and len(rows) == 1 + east_rows
    assert len(export(name, "west", tmp_path)) == 1 + (1 if name == "suggestions" else 0)


def test_exports_mask_phones_and_show_answers(east_world, tmp_path):
    letters = export("suggestions", "east", tmp_path)
    assert letters[1][7] == "138****8000" and PHONE_A not in str(letters)
    answers = export("consultation_answers", "east", tmp_path)
    assert [r[8] for r in answers[1:]] == ["下午", "托管；讲座", 4, "要午饭"]
    assert export("participation_activities", "east", tmp_path)[1][9] == "李春燕"


def test_export_needs_participation_view(east_world, tmp_path, personas):
    with pytest.raises(CommandError):
        export("suggestions", "village", tmp_path)  # an executive has no participation.view


def test_close_due_closes_past_open_activities_once(tree, personas):
    past = make_activity(personas.east, tree.east, day_offset=-1)
    today_ = make_activity(personas.east, tree.east, day_offset=0)
    done = make_activity(personas.east, tree.east, day_offset=-3, status="done")
    out = io.StringIO()
    call_command("participation_close_due", stdout=out)
    assert "共 1 个活动的报名已截止" in out.getvalue()
    assert [Activity.objects.get(pk=a.pk).status for a in (past, today_, done)] == ["closed", "open", "done"]
    assert AuditEntry.objects.filter(action="participation.activity_close_due").count() == 1
    again = io.StringIO()
    call_command("participation_close_due", stdout=again)
    assert "共 0 个活动的报名已截止" in again.getvalue()
    assert AuditEntry.objects.filter(action="participation.activity_close_due").count() == 1


def test_close_due_on_a_given_date(tree, personas):
    a = make_activity(personas.east, tree.east, day_offset=2)
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    call_command("participation_close_due", date=later, stdout=io.StringIO())
    assert Activity.objects.get(pk=a.pk).status == "closed"
    with pytest.raises(CommandError, match="日期格式"):
        call_command("participation_close_due", date="明天", stdout=io.StringIO())
