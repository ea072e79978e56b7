"""制度参数 pages: a leader changes a figure for her federation; a cadre only reads; others are not reached."""


from niangjia.core import policies
from niangjia.core.models import PolicyOverride

KEY = "needs.deadlines"


def _form(**changes) -> dict:
    data = {"version": "0", "critical_days": "1", "urgent_days": "3", "default_days": "15",
            **{f"normal_days.{k}": str(v) for k, v in policies.REGISTRY[KEY].preset["normal_days"].items()}}
    return {**data, **changes}


def test_the_list_groups_rules_and_says_where_each_comes_from(client, tree, personas):
    policies.set_override(actor=personas.province, key=KEY, unit=tree.city, value={"urgent_days": 2})
    client.force_login(personas.east)
    page = client.get(f"/org/{tree.east.id}/policies/").content.decode()
    assert "需求与服务" in page and "妇女需求办理期限" in page
    assert "沿用上级规定" in page and "甲一市妇联" in page


def test_a_leader_saves_a_figure_and_villages_follow(client, tree, personas):
    client.force_login(personas.province)
    # when
    r = client.post(f"/org/{tree.province.id}/policies/{KEY}/", _form(**{"normal_days.legal": "5"}))
    # then
    assert r.status_code == 302
    assert policies.resolve(KEY, tree.east_village)["normal_days"]["legal"] == 5
    page = client.get(r.url).content.decode()
    assert "已保存“妇女需求办理期限”" in page and "本级规定" in page


def test_a_bad_figure_is_shown_next_to_its_field_and_nothing_saved(client, tree, personas):
    client.force_login(personas.province)
    r = client.post(f"/org/{tree.province.id}/policies/{KEY}/", _form(urgent_days="三天"))
    assert r.status_code == 400
    assert "“紧急需求办理期限（天）”应为整数" in r.content.decode()
    assert not PolicyOverride.objects.exists()


def test_a_stale_form_says_someone_else_changed_it(client, tree, personas):
    client.force_login(personas.province)
    policies.set_override(actor=personas.province, key=KEY, unit=tree.province, value={"urgent_days": 2})
    r = client.post(f"/org/{tree.province.id}/policies/{KEY}/", _form(urgent_days="4"))  # read at version 0
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert policies.resolve(KEY, tree.province)["urgent_days"] == 2


def test_clearing_asks_first_and_restores_the_inherited_figures(client, tree, personas):
    client.force_login(personas.province)
    policies.set_override(actor=personas.province, key=KEY, unit=tree.province, value={"urgent_days": 2})
    page = client.get(f"/org/{tree.province.id}/policies/{KEY}/").content.decode()
    assert 'data-confirm="确定删除甲省妇联自己的规定' in page
    r = client.post(f"/org/{tree.province.id}/policies/{KEY}/clear/", {"version": "1"})
    assert r.status_code == 302 and policies.resolve(KEY, tree.province)["urgent_days"] == 3


def test_a_cadre_sees_the_figures_disabled_and_cannot_post(client, tree, personas):
    client.force_login(personas.east)
    page = client.get(f"/org/{tree.east.id}/policies/{KEY}/").content.decode()
    assert "disabled" in page and "保存本级规定" not in page
    assert client.post(f"/org/{tree.east.id}/policies/{KEY}/", _form(urgent_days="1")).status_code == 403
    assert not PolicyOverride.objects.exists()


def test_another_countys_policies_are_not_found(client, tree, personas):
    client.force_login(personas.east)
    assert client.get(f"/org/{tree.west.id}/policies/").status_code == 404
    assert client.get(f"/org/{tree.west.id}/policies/{KEY}/").status_code == 404


def test_the_list_costs_the_same_however_many_rules_there_are(client, tree, personas, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.province)
    policies.set_override(actor=personas.province, key=KEY, unit=tree.city, value={"urgent_days": 2})

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/org/{tree.east.id}/policies/").status_code == 200
        return len(ctx.captured_queries)

    before = queries_for_list()
    # when five more rules are registered
    extra = {f"test.rule{n}": policies.PolicySpec(f"test.rule{n}", f"规则{n}", {"days": n}, "测试") for n in range(5)}
    monkeypatch.setattr(policies, "REGISTRY", {**policies.REGISTRY, **extra})
    # then the page reads them with the same queries
    assert queries_for_list() == before
