"""结对一名妇女 (city preset) from the web: the stay forms pick a woman in reach; the rule counts her."""

import pytest

from niangjia.core.errors import ValidationFailed
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.forms import PAIR_MSG_NOT_FOUND
from niangjia.fieldwork.models import FieldStay
from niangjia.people import services as people
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db


def _stay(place, **extra):
    return {"place": place.pk, "start": days_ago(7), "end": days_ago(1), "kind": "stay", "setting": "rural",
            "mode": "log", **extra}


def test_the_search_lists_persons_in_reach_as_picks(client, tree, personas, fw_people, admin_user):
    # given a woman of the east village and one of the west county with the same surname
    people.person_create(actor=admin_user, unit=tree.west, name="东村妇女乙")
    client.force_login(personas.east)
    # when east searches
    page = client.get("/fieldwork/person-search/", {"paired_q": "东村妇女"}).content.decode()
    # then only the woman in her reach is offered, as a pick
    assert f'name="paired_pick" value="{fw_people.woman.pk}"' in page
    assert "东村妇女乙" not in page


def test_a_stay_logged_with_a_picked_woman_is_paired(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = client.post("/fieldwork/", _stay(tree.east_town, paired_q="东村", paired_pick=fw_people.woman.pk))
    assert r.status_code == 302
    assert FieldStay.objects.get().paired_with == fw_people.woman


def test_a_unique_exact_name_pairs_without_a_pick(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = client.post("/fieldwork/", _stay(tree.east_town, paired_q="东村妇女"))
    assert r.status_code == 302
    assert FieldStay.objects.get().paired_with == fw_people.woman


def test_a_woman_outside_reach_is_refused_and_nothing_is_written(client, tree, personas, fw_people, admin_user):
    other = people.person_create(actor=admin_user, unit=tree.west, name="西县妇女")
    client.force_login(personas.east)
    r = client.post("/fieldwork/", _stay(tree.east_town, paired_q="西县妇女", paired_pick=other.pk))
    assert r.status_code == 400 and PAIR_MSG_NOT_FOUND in r.content.decode()
    assert not FieldStay.objects.exists()


def test_the_service_refuses_a_paired_person_out_of_reach(tree, personas, fw_people, admin_user):
    other = people.person_create(actor=admin_user, unit=tree.west, name="西县妇女")
    with pytest.raises(ValidationFailed) as exc:
        fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(3),
                    end=days_ago(1), paired_with=other)
    assert (exc.value.message, exc.value.fields) == (fw.MSG_PAIRED_OUT, {"paired_with": fw.MSG_PAIRED_OUT})
    assert not FieldStay.objects.exists()


def test_the_stay_page_shows_edits_and_clears_the_pairing(client, tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(5),
                       end=days_ago(2), paired_with=fw_people.woman)
    client.force_login(personas.east)
    page = client.get(f"/fieldwork/stays/{stay.pk}/").content.decode()
    assert 'name="paired_q"' in page and 'value="东村妇女"' in page and 'id="paired-opts"' in page
    r = client.post(f"/fieldwork/stays/{stay.pk}/", {"place": tree.east_town.pk, "start": days_ago(5),
                                                     "end": days_ago(2), "kind": "stay", "version": stay.version,
                                                     "paired_q": "", "paired_with": fw_people.woman.pk,
                                                     "action": "save"})
    assert r.status_code == 302
    stay.refresh_from_db()
    assert stay.paired_with is None


def test_a_manager_pairs_a_woman_on_a_stay_entered_on_behalf(client, tree, personas, fw_people):
    client.force_login(personas.province)
    r = client.post("/fieldwork/stays/behalf/", {**_stay(tree.east_town, paired_q="东村妇女"),
                                                 "place": "", "place_q": "东镇妇联", "person": fw_people.village.pk, "person_q": "东村执委"})
    assert r.status_code == 302
    stay = FieldStay.objects.get()
    assert (stay.person, stay.paired_with) == (fw_people.village, fw_people.woman)


def test_the_api_can_clear_the_pairing_with_zero(client, tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(5),
                       end=days_ago(2), paired_with=fw_people.woman)
    client.force_login(personas.east)
    r = client.patch(f"/api/v1/fieldwork/stays/{stay.pk}", {"version": stay.version, "paired_with": 0},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["paired_with"] is None
