"""Every write and every reveal leaves an audit row; the audit table is append-only."""

import pytest
from django.db import DatabaseError, connection, transaction

from niangjia.core import audit, audit_chain
from niangjia.core.models import AppendOnlyError, AuditEntry
from niangjia.org import services as org
from niangjia.people import services as people
from niangjia.people.models import Person


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_each_write_leaves_an_entry_with_actor_and_target(tree, personas):
    # given
    before = AuditEntry.objects.count()
    # when
    p = people.person_create(actor=personas.east, unit=tree.east_village, name="李梅", phone="13900139000")
    people.person_update(actor=personas.east, person=p, version=p.version, workplace="东村合作社")
    people.post_create(actor=personas.east, person=p, unit=tree.east, body="executive", title="执委")
    site = org.site_create(actor=personas.east, unit=tree.east_village, kind="womens_home", name="东村妇女之家")
    org.site_update(actor=personas.east, site=site, version=site.version, name="东村妇女之家（新）")
    # then
    rows = list(AuditEntry.objects.order_by("id")[before:])
    assert [r.action for r in rows] == ["person.create", "person.update", "post.create", "site.create", "site.update"]
    assert {r.actor_id for r in rows} == {personas.east.id}
    assert rows[0].target_id == str(p.pk) and rows[0].l4 == tree.east.id
    assert rows[1].detail["changes"]["workplace"] == ["", "东村合作社"]


def test_sensitive_changes_are_audited_without_their_values(tree, personas):
    p = people.person_create(actor=personas.east, unit=tree.east_village, name="李梅", phone="13900139000")
    people.person_update(actor=personas.east, person=p, version=p.version, phone="13900139001")
    entry = AuditEntry.objects.filter(action="person.update_sensitive").get()
    assert entry.detail == {"fields": ["phone"]}
    assert "13900139001" not in str(entry.detail) + entry.summary


def test_every_reveal_leaves_an_entry(tree, personas):
    p = people.person_create(actor=personas.east, unit=tree.east_village, name="王芳", id_number="11010519491231002X")
    people.person_reveal(actor=personas.east, person=p, field="id_number")
    people.person_reveal(actor=personas.east, person=p, field="id_number")
    reveals = AuditEntry.objects.filter(action="reveal", target_id=str(p.pk))
    assert reveals.count() == 2
    assert reveals.first().detail == {"field": "id_number"}


def test_an_action_fails_when_its_audit_row_cannot_be_written(tree, personas, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("audit table unavailable")

    # the row is written by the chain (one INSERT statement on PostgreSQL, save() on SQLite): break it there
    monkeypatch.setattr(audit_chain, "append", broken)
    with pytest.raises(DatabaseError):
        people.person_create(actor=personas.east, unit=tree.east_village, name="赵丽")
    assert not Person.objects.filter(name="赵丽").exists()


def test_a_reveal_is_refused_when_its_audit_row_cannot_be_written(tree, personas, monkeypatch):
    p = people.person_create(actor=personas.east, unit=tree.east_village, name="王芳", phone="13900139000")
    monkeypatch.setattr(audit_chain, "append", lambda *a, **k: (_ for _ in ()).throw(DatabaseError("down")))
    with pytest.raises(DatabaseError):
        people.person_reveal(actor=personas.east, person=p, field="phone")


def test_record_outside_a_transaction_is_a_programming_error(transactional_db):
    with pytest.raises(RuntimeError):
        audit.record(None, "x.y")


def test_the_model_refuses_update_and_delete(tree):
    entry = AuditEntry.objects.first()
    entry.summary = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "UPDATE core_auditentry SET summary = 'tampered'",
    "DELETE FROM core_auditentry",
])
def test_postgresql_refuses_update_and_delete_of_audit_rows(tree, sql):
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(summary="tampered").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgresql_lets_a_subtree_move_carry_its_audit_rows(tree, admin_user):
    from niangjia.org import services as org

    # given 东镇's own audit rows (its creation)
    mine = AuditEntry.objects.filter(l5=tree.east_town.id)
    assert mine.exists()
    # when 东镇 moves under 西县
    org.federation_move(actor=admin_user, federation=tree.east_town, new_parent=tree.west)
    # then its audit rows moved with it, and nothing else about them changed
    assert set(mine.values_list("l4", flat=True)) == {tree.west.id}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgresql_refuses_a_move_that_also_changes_the_row(tree):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditentry SET l4 = l4, summary = 'tampered'")
    assert not AuditEntry.objects.filter(summary="tampered").exists()


def test_record_refuses_an_action_no_app_declared_and_writes_nothing(tree, personas):
    # given
    before = AuditEntry.objects.count()
    # when / then: a free string (a typo of "need.register", or the other app's spelling) is refused
    for undeclared in ("need.registr", "needs.register", ""):
        with pytest.raises(audit.UndeclaredAction), transaction.atomic():
            audit.record(personas.east, undeclared, tree.east)
        with pytest.raises(audit.UndeclaredAction), transaction.atomic(), audit.bulk(personas.east) as add:
            add(undeclared, tree.east)
    assert AuditEntry.objects.count() == before


def test_a_declared_member_is_stored_as_its_value_and_found_by_it(tree, personas):
    # given the needs app's enumeration (its values are the strings rows always stored)
    from niangjia.needs.audit_actions import Action

    # when
    with transaction.atomic():
        audit.record(personas.east, Action.ORDER_ACCEPT, tree.east)
        audit.record(personas.east, "need.assign", tree.east)  # the stored string is the same declaration
    # then the rows hold the plain strings, so filters by action find old and new rows alike
    assert actions()[-2:] == ["needs.order.accept", "need.assign"]
    assert AuditEntry.objects.filter(action="needs.order.accept").count() == 1
    assert type(AuditEntry.objects.latest("id").action) is str


def test_every_app_declares_its_actions_once_and_the_values_never_collide():
    declared = audit.load_all()
    # the house's vocabulary: core's own and each app's audit_actions module
    assert {"reveal", "export", "need.register", "needs.order.accept", "person.create", "case.open"} <= set(declared)
    assert all(member.value == value for value, member in declared.items())
    with pytest.raises(ValueError, match="declared twice"):
        @audit.declare
        class Twice(audit.AuditAction):
            REGISTER = "need.register"


def test_services_name_actions_by_their_enumeration_not_by_literal_strings():
    # a literal in audit.record(actor, "…") would bypass the one list; the members are the way in
    import ast
    from pathlib import Path

    root = Path(audit.__file__).resolve().parents[1]
    literals = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                    and ast.unparse(node.func.value).endswith("audit") and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant)):
                literals.append(f"{path.relative_to(root)}:{node.lineno}")
    assert literals == []
