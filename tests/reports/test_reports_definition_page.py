"""定义报表 in the browser's terms: an administrator defines a form's fields and checks on a page."""

from niangjia.reports.models import ReportForm


def _post(client, tree, **over):
    data = {"title": "妇女之家月报", "unit": tree.east.id, "fill_level": "6", "period_kind": "month", "due_days": "5",
            "f0_key": "women", "f0_label": "服务妇女人次", "f0_kind": "int", "f0_min": "0", "f0_required": "on",
            "f1_key": "rural", "f1_label": "其中农村", "f1_kind": "int", "f1_min": "0",
            "c0_left": "rural", "c0_op": "<=", "c0_right": "women", **over}
    return client.post("/reports/forms/new/", data)


def test_an_administrator_defines_a_form_on_the_page(client, tree, admin_user):
    client.force_login(admin_user)
    assert client.get("/reports/forms/new/").status_code == 200
    r = _post(client, tree)
    form = ReportForm.objects.get(title="妇女之家月报")
    assert r.status_code == 302 and r["Location"] == f"/reports/forms/{form.pk}/"
    assert [(f.key, f.kind, f.required, f.min_value) for f in form.fields.order_by("order")] == [
        ("women", "int", True, 0), ("rural", "int", False, 0)]
    assert form.checks == [{"left": "rural", "op": "<=", "right": "women"}] and form.due_days == 5


def test_a_check_naming_an_unknown_field_is_refused_and_nothing_written(client, tree, admin_user):
    client.force_login(admin_user)
    r = _post(client, tree, c0_right="total")
    assert r.status_code == 400 and "报表定义有误" in r.content.decode()
    assert not ReportForm.objects.exists()


def test_a_cadre_without_the_manage_permission_cannot_define(client, tree, personas):
    client.force_login(personas.village)
    assert client.get("/reports/forms/new/").status_code == 403
