"""Award rounds through the services: quotas, consent, shortlist, phases, notice period, finalize."""

from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.awards import evaluation, queries, services
from niangjia.awards.models import AwardRound, Nomination, Objection
from niangjia.core import onetime
from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import AuditEntry, OneTimeToken, SummaryCount
from niangjia.core.sms import last_sent_to
from tests.awards.conftest import PHONE_B, end_notice, org_nom, public_nom, statuses, to_evaluation

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- quotas


def test_org_nominations_up_to_the_quota_then_a_clear_refusal(tree, personas, rnd):
    # given 东县's quota of 3 and 3 nominations already made
    for n in range(3):
        org_nom(personas.east, rnd, tree.east, f"东{n}")
    # when a fourth is entered
    with pytest.raises(Conflict) as exc:
        org_nom(personas.east, rnd, tree.east, "东4")
    # then the message names the federation, its quota and what it used; nothing was written
    assert exc.value.message == "东县妇联的组织推荐名额为 3 名，已推荐 3 名"
    assert Nomination.objects.filter(round=rnd, unit=tree.east).count() == 3


def test_one_federation_at_quota_does_not_block_another(tree, personas, rnd):
    for n in range(3):
        org_nom(personas.east, rnd, tree.east, f"东{n}")
    nom = org_nom(personas.west, rnd, tree.west, "西1")
    assert nom.unit_id == tree.west.pk


def test_a_per_federation_quota_overrides_the_default(tree, personas, city, rnd):
    services.quota_set(actor=city, rnd=rnd, unit=tree.west, org_quota=1)
    org_nom(personas.west, rnd, tree.west, "西1")
    with pytest.raises(Conflict, match="西县妇联的组织推荐名额为 1 名，已推荐 1 名"):
        org_nom(personas.west, rnd, tree.west, "西2")
    assert [r["quota"] for r in queries.quota_table(rnd)] == [3, 1]


def test_a_quota_cannot_drop_below_what_was_used(tree, personas, city, rnd):
    org_nom(personas.east, rnd, tree.east, "东1")
    org_nom(personas.east, rnd, tree.east, "东2")
    with pytest.raises(ValidationFailed, match="已推荐 2 名"):
        services.quota_set(actor=city, rnd=rnd, unit=tree.east, org_quota=1)


def test_a_zero_quota_refuses_every_org_nomination(tree, personas, city, rnd):
    services.quota_set(actor=city, rnd=rnd, unit=tree.east, org_quota=0)
    with pytest.raises(Conflict, match="东县妇联没有组织推荐名额"):
        org_nom(personas.east, rnd, tree.east)


def test_withdrawing_frees_a_quota_place(tree, personas, rnd):
    noms = [org_nom(personas.east, rnd, tree.east, f"东{n}") for n in range(3)]
    services.nomination_withdraw(actor=personas.east, nomination=noms[0], reason="本人调离")
    assert org_nom(personas.east, rnd, tree.east, "东4").status == "submitted"


def test_public_quota_is_for_the_whole_round_and_separate_from_org_quotas(tree, personas, rnd):
    # given every org place of 东县 used
    for n in range(3):
        org_nom(personas.east, rnd, tree.east, f"东{n}")
    # public nominations still go in, from either county, until the round's 2 are used
    public_nom(rnd, tree.east, "群众甲")
    public_nom(rnd, tree.west, "群众乙")
    with pytest.raises(Conflict) as exc:
        public_nom(rnd, tree.west, "群众丙")
    assert exc.value.message == "本次评选的社会推荐名额为 2 名，已推荐 2 名，名额已满"
    assert Nomination.objects.filter(round=rnd, kind="public").count() == 2


def test_nominating_federation_must_be_a_direct_child_of_the_round(tree, personas, rnd):
    with pytest.raises(ValidationFailed, match="直属下级妇联"):
        org_nom(personas.east, rnd, tree.east_town)


def test_nominations_close_after_the_closing_day(tree, personas, rnd, today):
    AwardRound.objects.filter(pk=rnd.pk).update(nomination_ends=today - timedelta(days=1))
    rnd.refresh_from_db()
    with pytest.raises(Conflict, match="推荐已于"):
        org_nom(personas.east, rnd, tree.east)


def test_a_retried_public_nomination_makes_one_record(tree, rnd):
    first = public_nom(rnd, tree.east, key="k1")
    again = public_nom(rnd, tree.east, key="k1")
    assert first.pk == again.pk
    assert Nomination.objects.filter(round=rnd).count() == 1


def test_public_nomination_seals_phones_and_audits_without_actor(tree, rnd):
    nom = public_nom(rnd, tree.east, phone=PHONE_B)
    assert nom.nominator_phone_mask == "138****8001" and "13800138001" not in nom.nominator_phone_enc
    assert nom.nominee_phone_mask == "138****8002"
    entry = AuditEntry.objects.get(action="awards.nomination.create", target_id=str(nom.pk))
    assert entry.actor is None and entry.l4 == tree.east.pk


def test_public_nomination_validation_names_every_field(tree, rnd):
    with pytest.raises(ValidationFailed) as exc:
        services.nomination_create_public(rnd=rnd, place_unit_id="", nominator_name="", nominator_phone="123",
                                          nominee_name="", nominee_place="", deeds="")
    assert set(exc.value.fields) == {"nominator_name", "nominator_phone", "place_unit", "nominee_name",
                                     "nominee_place", "deeds"}
    assert Nomination.objects.count() == 0


def test_nominations_feed_the_summary_table(tree, personas, rnd, today):
    org_nom(personas.east, rnd, tree.east)
    public_nom(rnd, tree.west)
    rows = {r.category: r.count for r in SummaryCount.objects.filter(metric="award_nomination")}
    assert rows == {"org": 1, "public": 1}


# ---------------------------------------------------------------- consent


def test_without_consent_a_nomination_cannot_be_shortlisted(tree, personas, city, rnd):
    nom = org_nom(personas.east, rnd, tree.east, consent=False)
    with pytest.raises(Conflict, match="本人尚未同意"):
        services.shortlist_set(actor=city, nomination=nom, on=True)
    assert Nomination.objects.get(pk=nom.pk).status == "submitted"


def test_consent_by_one_time_link_sent_by_sms(tree, city, rnd):
    # given a public nomination with the nominee's phone
    nom = public_nom(rnd, tree.east, phone=PHONE_B)
    msg = last_sent_to("+86" + PHONE_B, purpose="awards.consent")
    token = msg.body.split("/p/awards/consent/")[1].rstrip("/")
    # when she confirms through the link
    services.consent_by_link(token=token, given=True)
    # then consent is recorded as given through the link and she can be shortlisted
    nom.refresh_from_db()
    assert (nom.consent, nom.consent_via, nom.consent_by) == ("given", "link", None)
    services.shortlist_set(actor=city, nomination=nom, on=True)
    # and the link cannot be used twice
    with pytest.raises(Conflict, match="已经使用过"):
        services.consent_by_link(token=token, given=False)


def test_consent_recorded_in_person_keeps_who_and_when(tree, personas, rnd):
    nom = public_nom(rnd, tree.east, phone=PHONE_B)
    services.consent_record_in_person(actor=personas.east, nomination=nom, given=True, note="在村妇女之家当面确认")
    nom.refresh_from_db()
    assert nom.consent == "given" and nom.consent_via == "in_person"
    assert nom.consent_by == personas.east and nom.consent_at is not None
    # her pending link is revoked
    assert not OneTimeToken.objects.filter(subject_id=str(nom.pk), used_at__isnull=True,
                                           expires_at__gt=timezone.now()).exists()


def test_declining_takes_her_off_the_shortlist(tree, personas, city, rnd):
    nom = org_nom(personas.east, rnd, tree.east)
    services.shortlist_set(actor=city, nomination=nom, on=True)
    services.consent_record_in_person(actor=personas.east, nomination=nom, given=False, note="本人婉拒")
    assert Nomination.objects.get(pk=nom.pk).status == "submitted"


# ---------------------------------------------------------------- permissions


def test_another_countys_cadre_cannot_reach_a_nomination(tree, personas, rnd):
    nom = org_nom(personas.east, rnd, tree.east)
    with pytest.raises(NotFound):
        queries.get_nomination_for(personas.west, nom.pk)
    with pytest.raises(NotFound):
        services.consent_record_in_person(actor=personas.west, nomination=nom)
    with pytest.raises(NotFound):
        org_nom(personas.west, rnd, tree.east)


def test_a_county_cadre_sees_the_city_round_but_cannot_run_it(tree, personas, rnd):
    assert queries.get_round_for(personas.east, rnd.pk) == rnd
    with pytest.raises(Forbidden):
        queries.get_managed_round(personas.east, rnd.pk)
    nom = org_nom(personas.east, rnd, tree.east)
    with pytest.raises(NotFound):
        services.shortlist_set(actor=personas.east, nomination=nom, on=True)


def test_a_round_of_another_county_is_404(tree, personas, today):
    east_round = services.round_create(actor=personas.east, unit=tree.east, name="东县评选", award="三八红旗手",
                                       nomination_ends=today, evaluation_ends=today)
    with pytest.raises(NotFound):
        queries.get_round_for(personas.west, east_round.pk)


def test_without_awards_manage_nothing_is_written(tree, personas, rnd):
    with pytest.raises(Forbidden):
        org_nom(personas.village, rnd, tree.east)
    with pytest.raises(Forbidden):
        services.round_create(actor=personas.statistician, unit=tree.east, name="x", award="y",
                              nomination_ends=timezone.localdate(), evaluation_ends=timezone.localdate())
    assert Nomination.objects.count() == 0


# ---------------------------------------------------------------- phases


def test_phases_advance_only_in_order(tree, personas, city, rnd):
    nom = org_nom(personas.east, rnd, tree.east)
    services.shortlist_set(actor=city, nomination=nom, on=True)
    with pytest.raises(Conflict, match="只能依次推进") as exc:
        services.phase_advance(actor=city, rnd=rnd, to="notice")
    assert exc.value.code == "invalid_transition"
    with pytest.raises(Conflict, match="公示期结束后"):
        services.phase_advance(actor=city, rnd=rnd, to="final")
    services.phase_advance(actor=city, rnd=rnd, to="evaluation")
    with pytest.raises(Conflict, match="只能依次推进"):
        services.phase_advance(actor=city, rnd=rnd, to="nomination")
    assert AwardRound.objects.get(pk=rnd.pk).phase == "evaluation"


def test_evaluation_needs_a_shortlist(tree, personas, city, rnd):
    org_nom(personas.east, rnd, tree.east)
    with pytest.raises(Conflict, match="入围名单为空"):
        services.phase_advance(actor=city, rnd=rnd, to="evaluation")


def test_nominations_are_refused_once_evaluation_starts(tree, personas, city, rnd):
    to_evaluation(city, rnd, [org_nom(personas.east, rnd, tree.east)])
    with pytest.raises(Conflict, match="不再接受推荐"):
        org_nom(personas.east, rnd, tree.east, "迟到")
    with pytest.raises(Conflict, match="不再接受推荐"):
        public_nom(rnd, tree.east)


# ---------------------------------------------------------------- evaluation → notice → final


@pytest.fixture
def in_notice(tree, personas, city, rnd):
    """Three shortlisted, evaluated by votes; the top two (places=2) are proposed."""
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    c = org_nom(personas.east, rnd, tree.east, "丙")
    to_evaluation(city, rnd, [a, b, c])
    links = evaluation.links_issue(actor=city, rnd=rnd, count=3)
    evaluation.ballot_by_link(token=links[0], marks={a.pk: 1, b.pk: 1})
    evaluation.ballot_by_link(token=links[1], marks={b.pk: 1})
    evaluation.ballot_by_link(token=links[2], marks={c.pk: 1, b.pk: 1})
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    return a, b, c


def test_entering_the_notice_period_proposes_the_top_places(rnd, in_notice, today):
    a, b, c = in_notice
    rnd.refresh_from_db()
    # b has 3 votes; a and c 1 each with one ballot each: the earlier nomination (a) wins the tie
    assert statuses(rnd) == {"甲": "proposed", "乙": "proposed", "丙": "not_selected"}
    assert rnd.notice_starts == today and rnd.notice_ends > today
    assert [r["nomination"].nominee_name for r in queries.results(rnd)] == ["乙", "甲", "丙"]


def test_objection_during_the_notice_period_and_after_it(rnd, in_notice):
    a, _, _ = in_notice
    obj, created = services.objection_file(rnd=rnd, nomination_id=a.pk, text="她的事迹材料有夸大")
    assert created and obj.outcome == ""
    end_notice(rnd)
    with pytest.raises(Conflict, match="公示期已于 .+结束，不能再提出异议"):
        services.objection_file(rnd=rnd, nomination_id=a.pk, text="又一条")
    assert Objection.objects.count() == 1


def test_finalize_before_the_notice_period_ends_is_refused(city, rnd, in_notice):
    rnd.refresh_from_db()
    day = f"{rnd.notice_ends.month}月{rnd.notice_ends.day}日"
    with pytest.raises(Conflict) as exc:
        services.round_finalize(actor=city, rnd=rnd)
    assert exc.value.message == f"还不能确定结果：公示期至 {day}结束"
    assert AwardRound.objects.get(pk=rnd.pk).phase == "notice"


def test_finalize_with_unanswered_objections_is_refused_and_names_how_many(city, rnd, in_notice):
    a, b, _ = in_notice
    services.objection_file(rnd=rnd, nomination_id=a.pk, text="一")
    services.objection_file(rnd=rnd, nomination_id=b.pk, text="二")
    end_notice(rnd)
    with pytest.raises(Conflict) as exc:
        services.round_finalize(actor=city, rnd=rnd)
    assert exc.value.message == "还不能确定结果：还有 2 条异议未答复"


def test_finalize_after_the_period_with_every_objection_answered(city, rnd, in_notice):
    a, b, c = in_notice
    o1, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="她的事迹材料有夸大")
    o2, _ = services.objection_file(rnd=rnd, nomination_id=b.pk, text="不了解")
    services.objection_answer(actor=city, objection=o1, outcome="upheld", answer="经核实，材料确有不实之处")
    services.objection_answer(actor=city, objection=o2, outcome="dismissed", answer="经核实，事迹属实")
    # an upheld objection removes the nominee at once
    assert statuses(rnd)["甲"] == "removed"
    end_notice(rnd)
    services.round_finalize(actor=city, rnd=rnd)
    rnd.refresh_from_db()
    assert rnd.phase == "final" and rnd.finalized_by == city
    assert statuses(rnd) == {"甲": "removed", "乙": "awarded", "丙": "not_selected"}


def test_an_objection_is_answered_once(city, rnd, in_notice):
    a, _, _ = in_notice
    o, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="一")
    services.objection_answer(actor=city, objection=o, outcome="dismissed", answer="属实")
    with pytest.raises(Conflict, match="已答复"):
        services.objection_answer(actor=city, objection=o, outcome="upheld", answer="改")
    with pytest.raises(ValidationFailed):
        services.objection_answer(actor=city, objection=o, outcome="maybe", answer="改")


def test_objection_only_against_a_proposed_awardee(rnd, in_notice):
    _, _, c = in_notice
    with pytest.raises(ValidationFailed, match="拟表彰对象"):
        services.objection_file(rnd=rnd, nomination_id=c.pk, text="x")


def test_objection_retried_with_the_same_key_makes_one(rnd, in_notice):
    a, _, _ = in_notice
    o1, c1 = services.objection_file(rnd=rnd, nomination_id=a.pk, text="x", form_key="f1")
    o2, c2 = services.objection_file(rnd=rnd, nomination_id=a.pk, text="x", form_key="f1")
    assert o1.pk == o2.pk and (c1, c2) == (True, False)


def test_counts_of_ballots_and_objections_feed_the_summary(rnd, in_notice):
    a, _, _ = in_notice
    services.objection_file(rnd=rnd, nomination_id=a.pk, text="x")
    assert SummaryCount.objects.get(metric="award_ballot").count == 3
    assert SummaryCount.objects.get(metric="award_objection").count == 1


def test_the_federation_may_name_the_proposed_within_places(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    c = org_nom(personas.east, rnd, tree.east, "丙")
    d = org_nom(personas.west, rnd, tree.west, "丁")
    to_evaluation(city, rnd, [a, b, c])
    with pytest.raises(ValidationFailed, match="入围名单"):
        services.phase_advance(actor=city, rnd=rnd, to="notice", proposed_ids=[d.pk])
    with pytest.raises(ValidationFailed, match="不能超过表彰名额 2 名"):
        services.phase_advance(actor=city, rnd=rnd, to="notice", proposed_ids=[a.pk, b.pk, c.pk])
    services.phase_advance(actor=city, rnd=rnd, to="notice", proposed_ids=[b.pk])
    assert statuses(rnd) == {"甲": "not_selected", "乙": "proposed", "丙": "not_selected", "丁": "not_shortlisted"}
    # the results rank only the shortlist
    assert {r["nomination"].nominee_name for r in queries.results(rnd)} == {"甲", "乙", "丙"}


def test_onetime_consent_link_unknown_token_is_404(rnd):
    with pytest.raises(NotFound):
        services.consent_by_link(token="nope", given=True)
    assert onetime.MSG_INVALID == "链接无效或已过期"


def test_rollup_rebuild_gives_the_rows_the_services_bumped(tree, rnd, in_notice):
    from niangjia.stats import rollup

    a, _, _ = in_notice
    public_nom_round = rnd  # nominations (org) were bumped by the fixture; add an objection too
    services.objection_file(rnd=public_nom_round, nomination_id=a.pk, text="x")
    metrics = ["award_nomination", "award_ballot", "award_objection"]

    def rows():
        return set(SummaryCount.objects.filter(metric__in=metrics).values_list(
            "metric", "period", "category", "status", "l1", "l2", "l3", "count", "total"))

    before = rows()
    SummaryCount.objects.filter(metric__in=metrics).delete()
    rollup.rebuild_all(metrics)
    assert rows() == before and len(before) == 3


def test_officers_hear_of_an_objection_and_of_the_end_of_the_notice_period(tree, city, rnd, in_notice):
    from io import StringIO

    from django.core.management import call_command

    from niangjia.core.models import Notification

    a, _, _ = in_notice
    services.objection_file(rnd=rnd, nomination_id=a.pk, text="x")
    assert Notification.objects.get(recipient=city, kind="awards.objection").link.startswith(f"/awards/{rnd.pk}/")
    # before the period ends the periodic command says nothing
    out = StringIO()
    call_command("awards_notice_due", stdout=out)
    assert "0 条" in out.getvalue()
    end_notice(rnd)
    call_command("awards_notice_due", stdout=StringIO())
    call_command("awards_notice_due", stdout=StringIO())  # twice the same day: told once
    note = Notification.objects.get(recipient=city, kind="awards.notice_due")
    assert "还有 1 条异议未答复" in note.text
