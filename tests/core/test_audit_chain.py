"""The audit hash chain: each row carries the hash of the one before; `niangjia audit verify` finds an edited,
deleted or smuggled-in row and says where. On PostgreSQL the rows are tampered with the trigger bypassed
(superuser, session_replication_role = replica), as someone owning the database could."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from niangjia.core import audit, audit_chain
from niangjia.core.models import AuditChainHead, AuditEntry
from niangjia.people import services as people

PG = connection.vendor == "postgresql"


@audit.declare
class ChainTestAction(audit.AuditAction):
    """The actions these tests record (record refuses undeclared ones)."""

    CONCURRENT = "test.concurrent"
    AFTER = "test.after"
    BULK = "test.bulk"


def raw(sql: str, params=()) -> None:
    """Tamper with the audit table directly, the trigger bypassed where there is one."""
    with transaction.atomic(), connection.cursor() as cur:
        if PG:
            cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(sql, params)


def verify_output() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
    return out.getvalue(), err.getvalue()


@pytest.fixture
def rows(tree, personas):
    """Some audited writes: the tree's creation, three persons, a reveal."""
    for name in ("甲", "乙", "丙"):
        p = people.person_create(actor=personas.east, unit=tree.east_village, name=name, phone="13800138000")
    people.person_reveal(actor=personas.east, person=p, field="phone")
    return list(AuditEntry.objects.order_by("seq"))


def test_each_row_carries_the_hash_of_the_one_before(rows):
    # then the rows form one unbroken chain from seq 1, and the head is its end
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == "" and all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (rows[-1].seq, rows[-1].hash)
    assert audit_chain.verify() == ([], rows[-1].seq, rows[-1].hash)
    out, err = verify_output()
    assert err == "" and f"{len(rows)} rows" in out and f"head {rows[-1].seq}:{rows[-1].hash}" in out


def test_verify_finds_an_edited_row_and_says_which(rows):
    # given a reveal row whose summary is rewritten behind the application's back
    reveal = next(r for r in rows if r.action == "reveal")
    raw("UPDATE core_auditentry SET summary = %s WHERE id = %s", ["查看（已改）", reveal.pk])
    # when
    problems, _, _ = audit_chain.verify()
    out, err = verify_output()
    # then exactly that row is named, by seq and id
    assert [(p.seq, p.row_id, p.what) for p in problems] == [
        (reveal.seq, reveal.pk, "the row was edited after it was written")]
    assert f"seq {reveal.seq} · row {reveal.pk}" in err and "1 problem(s)" in err and out == ""


def test_verify_finds_a_row_whose_time_or_actor_was_changed(rows):
    row = rows[3]
    raw("UPDATE core_auditentry SET actor_name = 'someone', at = at - interval '1 day' WHERE id = %s" if PG else
        "UPDATE core_auditentry SET actor_name = 'someone', at = datetime(at, '-1 day') WHERE id = %s", [row.pk])
    assert [(p.seq, p.row_id) for p in audit_chain.verify()[0]] == [(row.seq, row.pk)]


def test_verify_finds_a_deleted_row_in_the_middle(rows):
    gone = rows[2]
    raw("DELETE FROM core_auditentry WHERE id = %s", [gone.pk])
    problems = audit_chain.verify()[0]
    assert [(p.seq, p.row_id) for p in problems] == [(rows[3].seq, rows[3].pk)]
    assert problems[0].what == f"rows with seq {gone.seq} before this one were deleted"


def test_verify_finds_deleted_rows_at_the_end(rows):
    raw("DELETE FROM core_auditentry WHERE seq >= %s", [rows[-2].seq])
    problems = audit_chain.verify()[0]
    assert [(p.seq, p.row_id, p.what) for p in problems] == [
        (rows[-1].seq, None, f"the last rows (seq {rows[-2].seq}–{rows[-1].seq}) were deleted")]


def test_verify_finds_a_rewritten_link_even_when_the_row_hash_was_recomputed(rows):
    # given someone who edits a row and recomputes its own hash (but not the chain after it)
    row = rows[4]
    values = AuditEntry.objects.filter(pk=row.pk).values(*audit_chain.FIELDS).get()
    values["summary"] = "改过"
    raw("UPDATE core_auditentry SET summary = %s, hash = %s WHERE id = %s",
        ["改过", audit_chain.digest(row.prev_hash, values), row.pk])
    # then the next row's link gives it away
    problems = audit_chain.verify()[0]
    assert [(p.seq, p.row_id, p.what) for p in problems] == [
        (rows[5].seq, rows[5].pk, "its link to the row before was rewritten")]


def test_a_row_inserted_outside_the_application_is_found(rows):
    raw("INSERT INTO core_auditentry (at, actor_name, action, target_type, target_id, summary, ip, channel, "
        "detail, prev_hash, hash) VALUES (%s, 'x', 'reveal', '', '', '', '', '', '{}', '', '')", [rows[0].at])
    problems = audit_chain.verify()[0]
    assert [p.what for p in problems] == ["the row was inserted outside the chain"]


def test_an_anchor_catches_a_chain_rewritten_from_the_edit_onwards(rows):
    # given a head noted outside the database by an earlier run
    anchor = f"{rows[-1].seq}:{rows[-1].hash}"
    assert audit_chain.check_anchor(anchor) == []
    # when every hash from an edited row onwards is recomputed (and the head with it)
    prev = rows[1].prev_hash
    for r in rows[1:]:
        values = AuditEntry.objects.filter(pk=r.pk).values(*audit_chain.FIELDS).get()
        if r.pk == rows[1].pk:
            values["summary"] = "改过"
        new = audit_chain.digest(prev, values)
        raw("UPDATE core_auditentry SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [values["summary"], prev, new, r.pk])
        prev = new
    AuditChainHead.objects.filter(pk=1).update(hash=prev)
    # then the chain alone looks intact, and the anchor does not
    assert audit_chain.verify()[0] == []
    assert [p.what for p in audit_chain.check_anchor(anchor)] == ["the chain was rewritten up to the anchored row"]


def test_a_rolled_back_action_leaves_no_gap(rows, tree, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        people.person_create(actor=personas.east, unit=tree.east_village, name="丁")
        raise RuntimeError("the action fails after its audit row")
    people.person_create(actor=personas.east, unit=tree.east_village, name="戊")
    assert audit_chain.verify()[0] == []
    assert AuditEntry.objects.latest("seq").seq == rows[-1].seq + 1


# ---------------------------------------------------------------- PostgreSQL: concurrency and the trigger


@pytest.mark.skipif(not PG, reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(tree, personas):
    # given eight writers appending audit rows at the same time, each in its own transaction
    errors = []

    def write(n):
        try:
            for i in range(5):
                with transaction.atomic():
                    audit.record(personas.east, ChainTestAction.CONCURRENT, summary=f"{n}-{i}", unit=tree.east)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then all 40 rows are in one chain without gaps or forks
    assert errors == []
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 40
    problems, last, _ = audit_chain.verify()
    assert problems == [] and last == AuditEntry.objects.count()


@pytest.mark.skipif(not PG, reason="the database trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_rescope_a_reveal_row_out_of_its_unit(tree, personas, rows):
    # given a reveal in 东村 (visible to the province's auditor through l2)
    reveal = AuditEntry.objects.get(action="reveal")
    assert reveal.l2 == tree.province.id
    # when someone rewrites its ancestor columns to another branch, nothing else changed
    with pytest.raises(DatabaseError, match="may only follow a move"), transaction.atomic(), \
            connection.cursor() as cur:
        cur.execute("UPDATE core_auditentry SET l2 = NULL, l3 = NULL, l4 = %s WHERE id = %s",
                    [tree.west.id, reveal.pk])
    # then the row is where it was
    reveal.refresh_from_db()
    assert (reveal.l2, reveal.l4) == (tree.province.id, tree.east.id)


@pytest.mark.skipif(not PG, reason="the database trigger exists on PostgreSQL only")
def test_postgresql_lets_rows_follow_a_real_move_and_the_chain_stays_intact(tree, admin_user, rows):
    from niangjia.org import services as org

    moved = AuditEntry.objects.filter(l6=tree.east_village.id)
    assert moved.exists()
    org.federation_move(actor=admin_user, federation=tree.east_town, new_parent=tree.west)
    assert set(moved.values_list("l4", flat=True)) == {tree.west.id}
    assert audit_chain.verify()[0] == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_written_before_it(tree, personas):
    from django.db.migrations.executor import MigrationExecutor

    people.person_create(actor=personas.east, unit=tree.east_village, name="甲")
    count = AuditEntry.objects.count()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        # when the chain is taken off and put back
        MigrationExecutor(connection).migrate([("core", "0004_audit_rows_move_with_their_subtree")])
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM core_auditentry")
            assert cur.fetchone()[0] == count
        MigrationExecutor(connection).migrate([("core", "0005_audit_hash_chain_and_ancestors_follow_unit")])
    finally:
        MigrationExecutor(connection).migrate(leaves)
    # then every earlier row is chained in id order and verifies
    assert list(AuditEntry.objects.order_by("id").values_list("seq", flat=True)) == list(range(1, count + 1))
    assert audit_chain.verify()[0] == []


# ---------------------------------------------------------------- the bulk writer (imports)


def test_bulk_rows_join_the_chain_in_order_between_single_rows(rows, tree, personas):
    # given single rows already written, then 12 rows written in bulk (flushed in batches of 5), then one more
    with transaction.atomic(), audit.bulk(personas.east, batch=5) as add:
        for i in range(12):
            add(ChainTestAction.BULK, target_type="people.person", target_id=str(1000 + i), summary=f"人{i}",
                detail={"row": i + 2}, unit=tree.east_village)
    with transaction.atomic():
        audit.record(personas.east, ChainTestAction.AFTER, summary="after", unit=tree.east)
    # then every bulk row is one audit row in its own place, with the unit's ancestor columns
    bulk = list(AuditEntry.objects.filter(action="test.bulk").order_by("seq"))
    assert [r.target_id for r in bulk] == [str(1000 + i) for i in range(12)]
    assert [r.seq for r in bulk] == list(range(len(rows) + 1, len(rows) + 13))
    assert bulk[0].l6 == tree.east_village.pk and bulk[0].actor_name == personas.east.username
    assert bulk[3].detail == {"row": 5}
    # and the chain verifies end to end
    out, err = verify_output()
    assert err == "" and f"{len(rows) + 13} rows" in out


def test_bulk_rows_are_rolled_back_with_their_action(rows, tree, personas):
    # given a bulk write whose transaction fails after a flush
    head = AuditChainHead.objects.get(pk=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        with audit.bulk(personas.east, batch=2) as add:
            for i in range(3):
                add(ChainTestAction.BULK, target_type="people.person", target_id=str(i), unit=tree.east)
        raise RuntimeError("the import failed")
    # then nothing is left and the head has not moved
    assert not AuditEntry.objects.filter(action="test.bulk").exists()
    assert AuditChainHead.objects.get(pk=1).seq == head.seq
    assert audit_chain.verify()[0] == []

