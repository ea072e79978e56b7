"""Staff pages: the ledger (filters, export, chart, query count), the detail page's actions,
catalogue/providers/orders pages, the home panel, and who may reach what."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from niangjia.needs import services
from niangjia.needs.models import Need, ServiceOrder
from tests.needs.conftest import register

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_ledger_lists_filters_and_counts(tree, personas):
    register(personas.east, tree.east_village, category="legal", description="东村法律")
    register(personas.east, tree.east_village2, category="rights", channel="hotline", description="东二村维权")
    register(personas.west, tree.west_village, description="西村需求")
    c = client_for(personas.east)
    r = c.get("/needs/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "东村法律" in body and "东二村维权" in body and "西村需求" not in body
    assert 'data-testid="count-total">2<' in body and "nj-chart" in body
    body = c.get("/needs/?channel=hotline").content.decode()
    assert "东二村维权" in body and "东村法律" not in body
    body = c.get(f"/needs/?unit={tree.east_village.pk}").content.decode()
    assert "东村法律" in body and "东二村维权" not in body


def test_the_ledger_filter_by_a_hidden_unit_is_404(tree, personas):
    assert client_for(personas.east).get(f"/needs/?unit={tree.west.pk}").status_code == 404


def test_overdue_and_escalated_filters(tree, personas):
    past = timezone.now() - timedelta(days=3)
    late = register(personas.east, tree.east_village, urgency="critical", at=past, description="超期的需求")
    register(personas.east, tree.east_village, description="按时的需求")
    c = client_for(personas.east)
    body = c.get("/needs/?overdue=1").content.decode()
    assert "超期的需求" in body and "按时的需求" not in body
    assert "超期的需求" not in c.get("/needs/?escalated=1").content.decode()
    services.needs_escalate()
    body = client_for(personas.township).get("/needs/?escalated=1").content.decode()
    assert "超期的需求" in body and "按时的需求" not in body
    assert f'/needs/{late.pk}/' in body


def test_the_ledger_exports_to_excel_without_clear_contacts(tree, personas):
    register(personas.east, tree.east_village, contact_name="王芳", contact_phone="13800138000", description="要导出")
    r = client_for(personas.east).get("/needs/?export=xlsx")
    assert r.status_code == 200
    rows = list(load_workbook(BytesIO(r.content)).active.values)
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "要导出" in flat and "138****8000" in flat and "王*" in flat
    assert "13800138000" not in flat and "王芳" not in flat


def test_the_ledger_query_count_does_not_grow_with_rows(tree, personas, east_worker):
    def queries_for_page():
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(personas.east).get("/needs/").status_code == 200
        return len(ctx)

    for i in range(3):
        n = register(personas.east, tree.east_village, description=f"需求{i}")
        services.need_assign(actor=personas.east, need=n, assignee=east_worker, version=1)
    few = queries_for_page()
    for i in range(12):
        n = register(personas.east, tree.east_village2, description=f"更多{i}")
        services.need_assign(actor=personas.east, need=n, assignee=east_worker, version=1)
    assert queries_for_page() == few


def test_detail_offers_only_the_allowed_actions(tree, personas, east_worker, catalogue):
    need = register(personas.east, tree.east_village)
    body = client_for(personas.east).get(f"/needs/{need.pk}/").content.decode()
    assert 'aria-label="指派"' in body and 'aria-label="派单"' in body and 'aria-label="关闭"' in body
    assert "开始办理" not in body and 'aria-label="办结"' not in body
    assert 'data-confirm="确定关闭这条需求' in body
    assert "法律咨询 · 东县法律援助中心" in body
    worker_body = client_for(east_worker).get(f"/needs/{need.pk}/").content.decode()
    assert 'aria-label="指派"' not in worker_body  # needs.manage only


def test_steps_through_the_detail_page(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    east = client_for(personas.east)
    r = east.post(f"/needs/{need.pk}/step/assign/", {"version": 1, "assignee": east_worker.pk})
    assert r.status_code == 302
    worker = client_for(east_worker)
    worker.post(f"/needs/{need.pk}/step/start/", {"version": 2})
    r = worker.post(f"/needs/{need.pk}/step/resolve/", {"version": 3, "resolution": ""}, follow=True)
    assert "请填写办理结果" in r.content.decode()
    assert Need.objects.get(pk=need.pk).status == "in_progress"
    worker.post(f"/needs/{need.pk}/step/resolve/", {"version": 3, "resolution": "已解答"})
    r = east.post(f"/needs/{need.pk}/step/assign/", {"version": 4, "assignee": east_worker.pk}, follow=True)
    assert "不能指派" in r.content.decode()
    east.post(f"/needs/{need.pk}/step/close/", {"version": 4, "reason": "办结归档"})
    assert Need.objects.get(pk=need.pk).status == "closed"


def test_a_stale_form_says_so(tree, personas):
    need = register(personas.east, tree.east_village)
    c = client_for(personas.east)
    c.post(f"/needs/{need.pk}/step/refer/", {"version": 1, "target": "县法律援助中心"})
    r = c.post(f"/needs/{need.pk}/step/close/", {"version": 1, "reason": "x"}, follow=True)
    assert "已被他人修改" in r.content.decode()


def test_order_from_the_detail_page_and_track_it_on_the_orders_page(tree, personas, catalogue):
    need = register(personas.east, tree.east_village)
    c = client_for(personas.east)
    r = c.post(f"/needs/{need.pk}/order/", {"version": 1,
                                            "offer": f"{catalogue.legal.pk}:{catalogue.provider.pk}"}, follow=True)
    assert "已派单" in r.content.decode()
    order = ServiceOrder.objects.get()
    assert Need.objects.get(pk=need.pk).status == "referred"
    c.post(f"/needs/orders/{order.pk}/accept/", {"version": 1})
    c.post(f"/needs/orders/{order.pk}/deliver/", {"version": 2, "outcome": "律师当面解答"})
    c.post(f"/needs/orders/{order.pk}/rate/", {"rating": "4", "comment": "满意"})
    order.refresh_from_db()
    assert (order.status, order.rating) == ("delivered", 4)
    assert "法律咨询 · 东县法律援助中心" in c.get("/needs/orders/").content.decode()


def test_a_cadre_of_west_gets_404_on_an_east_need(tree, personas):
    need = register(personas.east, tree.east_village)
    c = client_for(personas.west)
    assert c.get(f"/needs/{need.pk}/").status_code == 404
    assert c.post(f"/needs/{need.pk}/step/close/", {"version": 1, "reason": "x"}).status_code == 404
    assert Need.objects.get(pk=need.pk).status == "registered"


def test_an_executive_without_needs_handle_gets_403(tree, personas):
    need = register(personas.east, tree.east_village)
    c = client_for(personas.village)
    assert c.get("/needs/").status_code == 403
    assert c.post(f"/needs/{need.pk}/step/refer/", {"version": 1, "target": "x"}).status_code == 403
    assert c.get("/needs/new/").status_code == 403
    assert Need.objects.get(pk=need.pk).status == "registered"


def test_register_a_need_through_the_form(tree, personas):
    c = client_for(personas.east)
    r = c.post("/needs/new/", {"unit": tree.east.pk, "category": "", "urgency": "normal", "channel": "walk_in",
                               "description": ""})
    body = r.content.decode()
    assert r.status_code == 400 and "请选择类别" in body and "请填写需求内容" in body
    r = c.post("/needs/new/", {"unit": tree.east.pk, "category": "legal", "urgency": "urgent", "channel": "walk_in",
                               "description": "来访咨询离婚财产分割", "contact_phone": "12"})
    assert r.status_code == 400 and "联系电话" in r.content.decode()
    r = c.post("/needs/new/", {"unit": tree.east.pk, "category": "legal", "urgency": "urgent", "channel": "walk_in",
                               "description": "来访咨询离婚财产分割"})
    assert r.status_code == 302
    assert Need.objects.get().description == "来访咨询离婚财产分割"


def test_contact_reveal_shows_the_clear_values_once_and_audits(tree, personas):
    from niangjia.core.models import AuditEntry

    need = register(personas.east, tree.east_village, contact_name="王芳", contact_phone="13800138000")
    c = client_for(personas.east)
    assert "13800138000" not in c.get(f"/needs/{need.pk}/").content.decode()
    body = c.post(f"/needs/{need.pk}/contact/").content.decode()
    assert "+8613800138000" in body and "王芳" in body
    assert AuditEntry.objects.filter(action="reveal", target_id=str(need.pk)).count() == 1


def test_catalogue_and_providers_pages(tree, personas, catalogue, east_worker):
    c = client_for(personas.east)
    r = c.post("/needs/catalogue/", {"unit": tree.east.pk, "name": "", "category": "legal"})
    assert r.status_code == 400 and "请填写服务名称" in r.content.decode()
    r = c.post("/needs/catalogue/", {"unit": tree.east.pk, "name": "婚前辅导", "category": "mediation",
                                     "government_purchased": "on"})
    assert r.status_code == 302
    assert "婚前辅导" in c.get("/needs/catalogue/").content.decode()
    assert "西县法律咨询" not in c.get("/needs/catalogue/").content.decode()
    body = c.get("/needs/providers/").content.decode()
    assert "东县法律援助中心" in body and "西县服务社" not in body
    r = c.post(f"/needs/providers/{catalogue.provider.pk}/", {"version": 1, "services": [catalogue.legal.pk,
               catalogue.counselling.pk], "areas": [tree.east.pk], "note": "", "is_active": "1"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert set(catalogue.provider.services.values_list("name", flat=True)) == {"法律咨询", "心理疏导"}
    assert client_for(east_worker).post("/needs/catalogue/", {"unit": tree.east.pk, "name": "x",
                                                              "category": "legal"}).status_code == 403
    assert client_for(personas.west).get(f"/needs/providers/{catalogue.provider.pk}/").status_code == 404


def test_the_home_panel_shows_overdue_needs_in_reach(tree, personas):
    register(personas.east, tree.east_village, urgency="critical", at=timezone.now() - timedelta(days=2),
             description="超期的东村需求")
    body = client_for(personas.east).get("/").content.decode()
    assert 'data-testid="home-needs-overdue">1<' in body and "超期的东村需求" in body
    assert "超期的东村需求" not in client_for(personas.west).get("/").content.decode()


def test_edit_a_service_with_its_version(tree, personas, catalogue):
    c = client_for(personas.east)
    assert "法律咨询" in c.get(f"/needs/catalogue/{catalogue.legal.pk}/").content.decode()
    r = c.post(f"/needs/catalogue/{catalogue.legal.pk}/", {"version": 1, "name": "法律咨询与援助", "category": "legal",
                                                            "description": "律师免费解答"})
    assert r.status_code == 302
    catalogue.legal.refresh_from_db()
    assert (catalogue.legal.name, catalogue.legal.version, catalogue.legal.government_purchased) == (
        "法律咨询与援助", 2, False)
    r = c.post(f"/needs/catalogue/{catalogue.legal.pk}/", {"version": 1, "name": "旧表单", "category": "legal"})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert client_for(personas.west).get(f"/needs/catalogue/{catalogue.legal.pk}/").status_code == 404


def test_city_and_above_read_the_ledger_counts_from_the_summary_rows(tree, personas, east_worker):
    from niangjia.core.models import SummaryCount

    # given needs in both counties, some moved on
    a = register(personas.east, tree.east_village, category="legal")
    register(personas.east, tree.east_village2, category="rights")
    register(personas.west, tree.west_village, category="legal")
    services.need_assign(actor=personas.east, need=a, assignee=east_worker, version=1)
    # then the province leader's header (from summaries) agrees with the rows a county cadre reads
    body = client_for(personas.province).get("/needs/").content.decode()
    assert 'data-testid="count-total">3<' in body and 'data-testid="count-open">3<' in body
    east = client_for(personas.east).get("/needs/").content.decode()
    assert 'data-testid="count-total">2<' in east
    # and it really reads the summaries: a drifted summary row shows at the province, not in the county
    SummaryCount.objects.filter(metric="need", status="registered", category="rights").update(count=5)
    assert 'data-testid="count-total">7<' in client_for(personas.province).get("/needs/").content.decode()
    assert 'data-testid="count-total">2<' in client_for(personas.east).get("/needs/").content.decode()


def test_deactivating_a_provider_asks_first_and_goes_through_its_own_button(tree, personas, catalogue):
    c = client_for(personas.east)
    listing = c.get("/needs/providers/").content.decode()
    assert f'action="/needs/providers/{catalogue.provider.pk}/toggle/" data-confirm="确定停用“东县法律援助中心”？' in listing
    page = c.get(f"/needs/providers/{catalogue.provider.pk}/").content.decode()
    assert 'name="is_active"' not in page and 'data-testid="provider-toggle"' in page
    r = c.post(f"/needs/providers/{catalogue.provider.pk}/toggle/", {"version": catalogue.provider.version})
    catalogue.provider.refresh_from_db()
    assert r.status_code == 302 and catalogue.provider.is_active is False
    assert "data-confirm" not in c.get(f"/needs/providers/{catalogue.provider.pk}/").content.decode().split(
        "/toggle/")[1].split(">")[0]
    assert client_for(personas.west).post(f"/needs/providers/{catalogue.provider.pk}/toggle/",
                                          {"version": catalogue.provider.version}).status_code == 404
    assert client_for(personas.village).post(f"/needs/providers/{catalogue.provider.pk}/toggle/").status_code == 403


def test_toggling_a_service_or_provider_says_what_happened_and_a_stale_one_changes_nothing(personas, catalogue):
    # given
    c = client_for(personas.east)
    legal, provider = catalogue.legal, catalogue.provider
    # when: a service and a provider are switched off, then the service back on with an old version
    off = c.post(f"/needs/catalogue/{legal.pk}/toggle/", {"version": legal.version}, follow=True)
    gone = c.post(f"/needs/providers/{provider.pk}/toggle/", {"version": provider.version}, follow=True)
    stale = c.post(f"/needs/catalogue/{legal.pk}/toggle/", {"version": legal.version}, follow=True)
    # then
    assert [str(m) for m in off.context["messages"]] == ["已停用：法律咨询"]
    assert [str(m) for m in gone.context["messages"]] == ["已停用：东县法律援助中心"]
    assert [m.level_tag for m in stale.context["messages"]] == ["error"]
    legal.refresh_from_db()
    provider.refresh_from_db()
    assert legal.is_active is False and provider.is_active is False
