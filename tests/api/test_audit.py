"""The audit log (audit.view only): scoped, filtered, newest first, paginated by (at, id)."""

from niangjia.core.models import AuditEntry

from .helpers import Api, error_of, ids_of


def test_list_is_scoped_and_newest_first(records, east_admin):
    body = Api(east_admin).get("/audit", limit=200).json()
    ids = [e["id"] for e in body["items"]]
    assert records.audit["east"].id in ids and records.audit["village"].id in ids
    assert records.audit["west"].id not in ids
    assert ids == sorted(ids, reverse=True)


def test_filters_by_action_prefix_target_and_actor(records, east_admin, admin_user):
    api = Api(east_admin)
    sites = api.get("/audit", action="site.").json()
    assert ids_of(sites) == {records.audit[k].id for k in ("east", "town", "village")}
    one = api.get("/audit", target_type="org.site", target_id=str(records.site["town"].id)).json()
    assert ids_of(one) == {records.audit["town"].id}
    assert api.get("/audit", actor=east_admin.id).json()["items"] == []
    assert ids_of(api.get("/audit", actor=admin_user.id, action="site.create").json()) == ids_of(sites)


def test_pages_do_not_overlap(records, east_admin):
    api = Api(east_admin)
    first = api.get("/audit", limit=5).json()
    second = api.get("/audit", limit=5, cursor=first["next_cursor"]).json()
    assert len(first["items"]) == 5 and second["items"]
    assert max(ids_of(second)) < min(ids_of(first))


def test_a_reveal_shows_in_the_log(personas, records, east_admin):
    Api(personas.east).post(f"/persons/{records.person['east'].id}/reveal", {"field": "phone"})
    body = Api(east_admin).get("/audit", action="reveal").json()
    assert [(e["actor_name"], e["target_id"], e["detail"]) for e in body["items"]] == [
        ("east", str(records.person["east"].id), {"field": "phone"})]


def test_without_audit_view_is_403(personas, records):
    before = AuditEntry.objects.count()
    r = Api(personas.province).get("/audit")
    assert r.status_code == 403
    assert error_of(r)["code"] == "forbidden"
    assert AuditEntry.objects.count() == before
