"""Need-to-know reaches the people register: a woman first known through her complaint is a case party.

Leaders, hotline operators and supervisors not on her case — all of the same county, all allowed
to read people — find her nowhere (list, search by name or phone, detail, duplicates, export,
reveal, pickers of other apps); her case worker, its named supervisor and the admin do.
"""

import json
from pathlib import Path

import pytest
from conftest import make_user
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.models import AuditEntry
from niangjia.people import queries as people_queries
from niangjia.people import services as people
from niangjia.people.models import Person
from tests.cases.conftest import ID_OK, open_case

pytestmark = pytest.mark.django_db


def api(user):
    c = Client()
    c.force_login(user)
    return c


def found_by_api(user, **params) -> list[int]:
    # the search posts its words: a phone or ID number never sits in a URL
    r = api(user).post("/api/v1/persons/search", params, content_type="application/json")
    assert r.status_code == 200, r.content
    return [p["id"] for p in r.json()["items"]]


@pytest.fixture
def outsiders(staff, tree):
    """Same county, all holding people.view and people.reveal, none on the case."""
    return {"leader": make_user("east_leader", ["leader"], [tree.east]), "hotline": staff.hotline,
            "other_supervisor": staff.sup2, "other_worker": staff.worker2, "cadre": staff.cadre}


@pytest.mark.parametrize("who", ["leader", "hotline", "other_supervisor", "other_worker", "cadre"])
def test_someone_of_the_same_county_not_on_the_case_cannot_find_or_reveal_the_complainant(staff, tree, case,
                                                                                         outsiders, who):
    # given a case opened for a woman not yet in the register
    woman = Person.all_objects.get(pk=case.complainant_id)
    user = outsiders[who]
    # when she looks for her every way the people pages offer
    # then the woman is nowhere
    assert woman.case_party is True
    assert woman.pk not in found_by_api(user)
    assert found_by_api(user, q="李春花") == []
    assert found_by_api(user, q="13900001111") == []
    assert found_by_api(user, q=ID_OK) == []
    assert api(user).get(f"/api/v1/persons/{woman.pk}").status_code == 404
    r = api(user).post(f"/api/v1/persons/{woman.pk}/reveal", json.dumps({"field": "phone"}),
                       content_type="application/json")
    assert r.status_code == 404
    assert api(user).get(f"/people/{woman.pk}/").status_code == 404
    assert f"/people/{woman.pk}/" not in api(user).get("/people/", {"q": "李春花"}).content.decode()
    with pytest.raises(NotFound):
        people.person_reveal(actor=user, person=woman, field="phone")
    assert not AuditEntry.objects.filter(action="reveal", target_id=str(woman.pk)).exists()


def test_pickers_of_other_apps_and_ordinary_reads_leave_her_out(staff, tree, case):
    # given the case party and an ordinary woman of the same county
    ordinary = people.person_create(actor=staff.cadre, unit=tree.east, name="王秀英", phone="13900007777")
    # then every ordinary read (Person.objects: contacts, fieldwork and participation pickers, counts) skips her
    assert list(Person.objects.filter(unit=tree.east).values_list("name", flat=True)) == ["王秀英"]
    assert Person.all_objects.filter(unit=tree.east).count() == 2
    # and duplicates by the same phone are not shown to a cadre
    twin = people.person_create(actor=staff.cadre, unit=tree.east, name="李春花", phone="13900001111")
    assert people_queries.possible_duplicates(staff.cadre, twin) == []
    assert people_queries.duplicate_groups(staff.cadre) == []
    assert ordinary.case_party is False


def test_the_persons_export_of_a_leader_leaves_her_out_and_the_admins_holds_her(staff, tree, case, outsiders,
                                                                                 admin_user, tmp_path):
    # when the county leader and the admin export the people list from the CLI
    out_leader, out_admin = tmp_path / "leader.xlsx", tmp_path / "admin.xlsx"
    call_command("export_list", "persons", actor="east_leader", output=str(out_leader))
    call_command("export_list", "persons", actor="admin", output=str(out_admin))

    # then
    def names(path: Path) -> list[str]:
        rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
        return [r[1] for r in rows[1:] if r and r[0]]

    assert "李春花" not in names(out_leader)
    assert "李春花" in names(out_admin)


@pytest.mark.parametrize("who", ["worker", "sup"])
def test_her_case_worker_and_named_supervisor_find_and_reveal_her(staff, tree, case, who):
    user = getattr(staff, who)
    woman_id = case.complainant_id
    assert found_by_api(user, q="13900001111") == [woman_id]
    assert api(user).get(f"/api/v1/persons/{woman_id}").status_code == 200
    r = api(user).post(f"/api/v1/persons/{woman_id}/reveal", json.dumps({"field": "phone"}),
                       content_type="application/json")
    assert r.status_code == 200 and r.json()["value"] == "+8613900001111"
    assert AuditEntry.objects.filter(action="reveal", target_id=str(woman_id), actor=user).count() == 1


def test_the_admin_sees_every_case_party(staff, tree, case, admin_user):
    assert found_by_api(admin_user, q="李春花") == [case.complainant_id]


def test_a_county_administrator_by_role_sees_the_case_parties_of_her_county(staff, tree, case):
    # the admin role (not a superuser) reads every case in her reach, so every case party there too
    county_admin = make_user("east_admin", ["admin"], [tree.east])
    assert found_by_api(county_admin, q="李春花") == [case.complainant_id]
    assert api(county_admin).get(f"/api/v1/persons/{case.complainant_id}").status_code == 200


def test_handing_the_case_over_moves_who_may_see_her(staff, tree, case):
    # when the supervisor hands the case to worker2 and names no supervisor
    from niangjia.cases import services as case_services

    case_services.case_reassign(actor=staff.sup, case=case, worker=staff.worker2, supervisors=[])
    # then worker2 finds her and the first worker no longer does
    assert found_by_api(staff.worker2, q="李春花") == [case.complainant_id]
    assert found_by_api(staff.worker, q="李春花") == []


def test_a_woman_already_in_the_register_stays_ordinary_and_shows_no_case(staff, tree, outsiders):
    # given a woman in the register
    known = people.person_create(actor=staff.cadre, unit=tree.east, name="张丽", phone="13900005555")
    # when a case is opened for the same phone
    case = open_case(staff, tree, name="张丽", phone="13900005555", id_number="")
    # then the case links to her, she is still visible to the leader, and her page tells nothing of the case
    known.refresh_from_db()
    assert case.complainant_id == known.pk and known.case_party is False
    assert found_by_api(outsiders["leader"], q="13900005555") == [known.pk]
    page = api(outsiders["leader"]).get(f"/people/{known.pk}/").content.decode()
    assert case.number not in page and "个案当事人" not in page
    detail = api(outsiders["leader"]).get(f"/api/v1/persons/{known.pk}").content.decode()
    assert case.number not in detail


def test_a_second_complaint_of_the_same_woman_reuses_her_case_party_record(staff, tree, case):
    again = open_case(staff, tree, actor=staff.worker2, worker=staff.worker2, supervisors=[], name="李春花",
                      phone="13900001111")
    assert again.complainant_id == case.complainant_id
    assert Person.all_objects.filter(case_party=True).count() == 1
    assert found_by_api(staff.worker2, q="李春花") == [case.complainant_id]


def test_a_case_party_is_never_merged_with_an_ordinary_record(staff, tree, case, admin_user):
    ordinary = people.person_create(actor=staff.cadre, unit=tree.east, name="李春花", phone="13900001111")
    woman = Person.all_objects.get(pk=case.complainant_id)
    with pytest.raises(ValidationFailed) as exc:
        people.person_merge(actor=admin_user, keep=ordinary, drop=woman)
    assert exc.value.message == people.MSG_MERGE_CASE_PARTY
    ordinary.refresh_from_db()
    assert ordinary.phone_mask and not ordinary.id_number_mask and ordinary.is_active


def test_the_migration_seals_complainants_added_at_intake_and_not_women_with_posts(staff, tree, case):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("niangjia.cases.migrations.0002_complainants_become_case_parties")
    django_apps = MigrationLoader(connection).project_state(("cases", "0002_complainants_become_case_parties")).apps
    # given the complainant as the data stood before the flag existed, and a woman with a post
    Person.all_objects.filter(pk=case.complainant_id).update(case_party=False)
    member = people.person_create(actor=staff.cadre, unit=tree.east, name="刘芳", phone="13900006666")
    people.post_create(actor=staff.cadre, person=member, unit=tree.east, body="executive", title="执委")
    other = open_case(staff, tree, name="刘芳", phone="13900006666", id_number="")
    assert other.complainant_id == member.pk
    # when the data migration runs, then its reverse
    migration.seal(django_apps, None)
    sealed = set(Person.all_objects.filter(case_party=True).values_list("pk", flat=True))
    migration.unseal(django_apps, None)
    # then
    assert sealed == {case.complainant_id}
    assert not Person.all_objects.filter(case_party=True).exists()


def test_an_ordinary_record_is_never_merged_into_a_case_party_either(staff, tree, case, admin_user):
    # given her case party record and an ordinary record of the same phone
    ordinary = people.person_create(actor=staff.cadre, unit=tree.east, name="李春花", phone="13900001111")
    woman = Person.all_objects.get(pk=case.complainant_id)
    # when the admin tries to keep the case party and drop the ordinary record
    with pytest.raises(ValidationFailed) as exc:
        people.person_merge(actor=admin_user, keep=woman, drop=ordinary)
    # then nothing moved
    assert exc.value.message == people.MSG_MERGE_CASE_PARTY
    ordinary.refresh_from_db()
    assert ordinary.is_active and ordinary.merged_into_id is None


def test_merging_two_case_party_records_of_one_woman_moves_her_cases_and_who_may_see_her(staff, tree, case,
                                                                                          admin_user):
    # given a second complaint of the same woman taken by worker2 under another phone: a second case party
    again = open_case(staff, tree, actor=staff.worker2, worker=staff.worker2, supervisors=[], name="李春花",
                      phone="13900002222", id_number="")
    assert again.complainant_id != case.complainant_id
    keep = Person.all_objects.get(pk=case.complainant_id)
    drop = Person.all_objects.get(pk=again.complainant_id)
    # when the admin merges the second into the first
    people.person_merge(actor=admin_user, keep=keep, drop=drop)
    # then both cases name the kept record, and worker2 (on the second case) now finds that one
    again.refresh_from_db()
    assert again.complainant_id == keep.pk
    assert found_by_api(staff.worker2, q="李春花") == [keep.pk]
    assert AuditEntry.objects.get(action="person.merge").detail["moved"] == {"cases.case": 1}


def test_the_needs_person_picker_offers_her_only_to_those_on_her_case(staff, tree, case):
    woman_id = case.complainant_id
    # the county cadre handles needs but is not on the case: the picker finds nobody, a posted id is refused
    cadre = api(staff.cadre)
    assert f'data-person="{woman_id}"' not in cadre.get("/needs/persons/", {"person_q": "李春花"}).content.decode()
    r = cadre.post("/needs/new/", {"unit": tree.east.pk, "category": "rights", "urgency": "normal",
                                   "channel": "walk_in", "description": "咨询", "person": woman_id})
    assert r.status_code == 400 and "提出人" in r.content.decode()
    # her case worker finds her there
    mine = api(staff.worker).get("/needs/persons/", {"person_q": "李春花"}).content.decode()
    assert f'data-person="{woman_id}"' in mine


def test_rotate_keys_re_encrypts_a_case_party(staff, tree, case, settings):
    """rotate_keys goes through every row (Model._base_manager), not the hiding manager."""
    from cryptography.fernet import Fernet

    from niangjia.core import sensitive

    # when the keys rotate and the old one is dropped
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    call_command("rotate_keys", stdout=open("/dev/null", "w"))
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    # then her phone still reads
    woman = Person.all_objects.get(pk=case.complainant_id)
    assert sensitive.decrypt(woman.phone_enc) == "+8613900001111"


def test_a_federation_move_carries_a_case_party_along(staff, tree, admin_user):
    """federation_move goes through every row (Model._base_manager), not the hiding manager."""
    from niangjia.org import services as org

    # given a case party of 东镇
    town_case = open_case(staff, tree, unit=tree.east_town, name="周某", phone="13900009999", id_number="")
    # when 东镇 moves under 西县, then she moves with it
    org.federation_move(actor=admin_user, federation=tree.east_town, new_parent=tree.west)
    moved = Person.all_objects.get(pk=town_case.complainant_id)
    assert (moved.l4, moved.l5) == (tree.west.pk, tree.east_town.pk)
