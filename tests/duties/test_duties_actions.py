"""Actions that once had no screen: correcting evidence, cancelling an assignment, renaming or
switching off a checklist."""

import pytest
from django.utils import timezone

from niangjia.duties.models import Assignment, ChecklistTemplate, Evidence
from tests.duties.conftest import record

pytestmark = pytest.mark.django_db


def test_a_member_corrects_her_evidence_from_the_page(tree, personas, duty, client):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    client.force_login(duty.exec_a)
    page = client.get(f"/duties/a/{duty.a.pk}/").content.decode()
    assert f'href="/duties/evidence/{ev.pk}/correct/"' in page
    r = client.post(f"/duties/evidence/{ev.pk}/correct/", {"what": "提交建议案（已答复）",
                                                            "day": timezone.localdate().isoformat(),
                                                            "version": ev.version})
    assert r.status_code == 302
    ev.refresh_from_db()
    new = Evidence.objects.get(supersedes=ev)
    assert (ev.status, new.status, new.what) == ("superseded", "recorded", "提交建议案（已答复）")
    duty.a.refresh_from_db()
    assert duty.a.evidence_count == 1


def test_a_correction_with_a_stale_version_changes_nothing(tree, personas, duty, client):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    client.force_login(duty.exec_a)
    r = client.post(f"/duties/evidence/{ev.pk}/correct/", {"what": "x", "day": timezone.localdate().isoformat(),
                                                            "version": ev.version + 5})
    assert r.status_code == 409 and Evidence.objects.count() == 1
    assert client.get(f"/duties/evidence/{ev.pk}/correct/").status_code == 200
    client.force_login(duty.exec_b)
    assert client.get(f"/duties/evidence/{ev.pk}/correct/").status_code == 404


def test_a_manager_cancels_an_assignment_after_confirming(tree, personas, duty, client):
    client.force_login(personas.east)
    page = client.get(f"/duties/a/{duty.b.pk}/").content.decode()
    assert f'action="/duties/a/{duty.b.pk}/cancel/"' in page and "data-confirm" in page
    r = client.post(f"/duties/a/{duty.b.pk}/cancel/", {"version": duty.b.version})
    assert r.status_code == 302
    assert Assignment.objects.get(pk=duty.b.pk).status == "cancelled"
    assert "此清单已撤销" in client.get(f"/duties/a/{duty.b.pk}/").content.decode()
    # a member cannot cancel her own
    client.force_login(duty.exec_a)
    assert client.post(f"/duties/a/{duty.a.pk}/cancel/", {"version": duty.a.version}).status_code == 403
    assert Assignment.objects.get(pk=duty.a.pk).status == "active"


def test_the_api_cancels_once(tree, personas, duty, client):
    client.force_login(personas.east)
    r = client.post(f"/api/v1/duties/assignments/{duty.c.pk}/cancel", {"version": duty.c.version},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    r = client.post(f"/api/v1/duties/assignments/{duty.c.pk}/cancel", {"version": r.json()["version"]},
                    content_type="application/json")
    assert r.status_code == 400


def test_a_checklist_is_renamed_and_switched_off_from_its_page(tree, personas, duty, client):
    client.force_login(personas.east)
    tpl = duty.east_tpl
    base = {"name": "2026年执委履职清单", "description": "", "version": tpl.version}
    r = client.post(f"/duties/templates/{tpl.pk}/edit/", {**base, "is_active": ["0", "1"]})
    assert r.status_code == 302
    tpl = ChecklistTemplate.objects.get(pk=tpl.pk)
    assert (tpl.name, tpl.is_active) == ("2026年执委履职清单", True)
    r = client.post(f"/duties/templates/{tpl.pk}/edit/", {**base, "version": tpl.version, "is_active": "0"})
    tpl = ChecklistTemplate.objects.get(pk=tpl.pk)
    assert tpl.is_active is False
    assert "此清单已停用" in client.get(f"/duties/templates/{tpl.pk}/").content.decode()
    client.force_login(personas.west)
    assert client.post(f"/duties/templates/{tpl.pk}/edit/", {**base, "version": tpl.version}).status_code == 404
