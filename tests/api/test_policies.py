"""/api/v1/policies: read the figures in force for a federation; set and clear its own."""

from .helpers import Api, error_of, snapshot

KEY = "contacts.not_heard_from"


def test_list_shows_every_rule_with_its_value_and_who_set_it(tree, personas):
    body = Api(personas.east).get(f"/policies?unit={tree.east.id}").json()["items"]
    rule = next(p for p in body if p["key"] == KEY)
    assert (rule["value"], rule["own"], rule["version"], rule["set_by"]) == ({"days": 90}, None, 0, {"days": "预设"})
    assert rule["parameters"] == [{"path": "days", "label": "超过多少天未联系即提醒", "kind": "int", "choices": []}]
    assert {p["key"] for p in body} >= {"needs.deadlines", "cases.follow_up", "duties.schedule", "selection.scoring"}


def test_a_leader_sets_then_clears_the_provinces_figure(tree, personas):
    api = Api(personas.province)
    # when
    r = api.client.put(f"/api/v1/policies/{KEY}", {"unit": tree.province.id, "value": {"days": 45}, "version": 0},
                       content_type="application/json")
    # then
    assert r.status_code == 200, r.content
    assert (r.json()["own"], r.json()["version"]) == ({"days": 45}, 1)
    assert api.get(f"/policies/{KEY}?unit={tree.east_village.id}").json()["value"] == {"days": 45}
    # when
    r = api.client.delete(f"/api/v1/policies/{KEY}?unit={tree.province.id}&version=1")
    # then
    assert r.status_code == 200
    assert api.get(f"/policies/{KEY}?unit={tree.east.id}").json()["value"] == {"days": 90}


def test_a_stale_version_answers_409(tree, personas):
    api = Api(personas.province)
    body = {"unit": tree.province.id, "value": {"days": 45}, "version": 0}
    assert api.client.put(f"/api/v1/policies/{KEY}", body, content_type="application/json").status_code == 200
    r = api.client.put(f"/api/v1/policies/{KEY}", {**body, "value": {"days": 50}}, content_type="application/json")
    assert (r.status_code, error_of(r)["code"]) == (409, "stale_version")


def test_a_bad_figure_answers_400_naming_it(tree, personas):
    before = snapshot()
    r = Api(personas.province).client.put(f"/api/v1/policies/{KEY}", {"unit": tree.province.id,
                                          "value": {"days": -1}, "version": 0}, content_type="application/json")
    assert (r.status_code, error_of(r)["fields"]) == (400, {"days": "“超过多少天未联系即提醒”不能为负数"})
    assert snapshot() == before


def test_a_cadre_may_read_but_not_set(tree, personas):
    r = Api(personas.east).client.put(f"/api/v1/policies/{KEY}", {"unit": tree.east.id, "value": {"days": 45},
                                      "version": 0}, content_type="application/json")
    assert (r.status_code, error_of(r)["code"]) == (403, "forbidden")


def test_unknown_rule_answers_404(tree, personas):
    assert Api(personas.east).get(f"/policies/no.such?unit={tree.east.id}").status_code == 404


def test_the_list_answers_in_the_language_of_the_request(tree, personas):
    # given the same list asked for in English and in Chinese (its labels are lazy words declared at import)
    api = Api(personas.east)
    answers = {}
    for language in ("en", "zh-hans"):
        api.headers["Accept-Language"] = language
        response = api.get(f"/policies?unit={tree.east.id}")
        assert response.status_code == 200
        answers[language] = next(p for p in response.json()["items"] if p["key"] == KEY)
    # then each reads in its language, with the choice labels inside the lists as text too
    assert answers["en"]["parameters"][0]["label"] == "Remind after this many days without contact"
    assert answers["zh-hans"]["parameters"][0]["label"] == "超过多少天未联系即提醒"


def test_lazy_words_become_text_inside_lists_tuples_dicts_and_named_tuples():
    from collections import namedtuple

    from django.utils.translation import gettext_lazy, override

    from niangjia.core.schema import plain

    Pair = namedtuple("Pair", "a b")
    word = gettext_lazy("超过多少天未联系即提醒")
    with override("en"):
        out = plain({"k": [word, (word, 1)], "p": Pair(word, 2)})
    assert out == {"k": ["Remind after this many days without contact", ("Remind after this many days without contact", 1)],
                   "p": Pair("Remind after this many days without contact", 2)}
    assert all(type(v) is str for v in (out["k"][0], out["k"][1][0], out["p"].a))
