"""The open selection through its services: call, scoring with one-time links, corrections, vetting,
election and the posts it creates in the people register."""

from decimal import Decimal

import pytest

from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import AuditEntry
from niangjia.people import services as people
from niangjia.people.models import Post
from niangjia.selection import queries, services
from niangjia.selection.models import Candidate, Score
from tests.selection.conftest import (
    add_scorers,
    apply,
    close_call,
    new_selection,
    score_all,
    submit,
)

pytestmark = pytest.mark.django_db

TABLE = {
    "project": [[80, 70, 90, 60], [82, 72, 88, 60]],
    "expert": [[90, 70, 80, 60], [70, 75, 85, 60], [80, 80, 80, 60], [60, 70, 95, 60]],
    "jury": [[85, 80, 70, 60], [85, 80, 70, 60], [85, 80, 70, 60]],
}


def test_create_takes_the_policy_preset(tree, personas):
    # when a call is opened without scoring settings
    s = new_selection(personas.east, tree.east)
    # then the preset applies: 40/30/30, project mean, expert and jury trimmed, jury-first tie-break
    parts = {p.kind: p for p in s.parts.all()}
    assert {k: p.weight for k, p in parts.items()} == {"project": 40, "expert": 30, "jury": 30}
    assert {k: p.method for k, p in parts.items()} == {"project": "mean", "expert": "trimmed", "jury": "trimmed"}
    assert s.tie_break == ["jury", "expert", "project", "applied"]
    assert [(p.title, p.seats) for p in s.posts.all()] == [("兼职副主席", 3), ("兼职常委", 2)]
    assert s.eligibility.startswith("不限年龄、学历、职级")


def test_weights_not_summing_to_100_are_refused_and_nothing_is_written(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        new_selection(personas.east, tree.east, weights={"project": 40, "expert": 30, "jury": 20})
    assert "100%" in exc.value.message and "weights" in exc.value.fields
    assert not tree.east.pk or not queries.selections_for(personas.east).exists()


def test_duplicate_phone_in_one_call_is_refused(sel, personas):
    with pytest.raises(ValidationFailed) as exc:
        apply(personas.east, sel.selection, "甲二", "139 0000 0001")
    assert exc.value.fields == {"phone": services.MSG_DUPLICATE}


def test_candidate_is_linked_to_the_known_person_by_phone(tree, personas):
    person = people.person_create(actor=personas.east, unit=tree.east_village, name="王芳", phone="13811112222")
    s = new_selection(personas.east, tree.east)
    cand = apply(personas.east, s, "王芳", "13811112222")
    assert cand.person_id == person.pk
    other = apply(personas.east, s, "李娜", "13811113333")
    assert other.person_id is None


def test_full_flow_scores_rank_vet_elect_and_create_posts(sel, personas):
    # given the call closed and every part scored
    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    assert sel.selection.status == "vetting"
    sheet = queries.result_sheet(sel.selection)
    assert [r.candidate.name for r in sheet] == ["丙", "甲", "乙", "丁"]
    assert sheet[0].total == Decimal("81.35")
    # 甲: project mean 81 → 32.4; expert drop 90 & 60 → 75 → 22.5; jury 3 scores drop 85,85 → 85 → 25.5
    top = sheet[1]
    assert [c.contribution for c in top.cells] == [Decimal("32.4"), Decimal("22.5"), Decimal("25.5")]
    assert top.total == Decimal("80.4")

    # when the top three are vetted, 乙 fails, and the election is held
    by = {c.name: c for c in sel.candidates}
    for name, result in (("甲", "passed"), ("丙", "passed"), ("乙", "failed"), ("丁", "passed")):
        c = Candidate.objects.get(pk=by[name].pk)
        services.candidate_vet(actor=personas.east, candidate=c, result=result, note="考察意见", version=c.version)
    sel.selection.refresh_from_db()
    services.selection_start_election(actor=personas.east, selection=sel.selection, version=sel.selection.version)
    vice = sel.selection.posts.get(title="兼职副主席")
    standing = sel.selection.posts.get(title="兼职常委")
    c = Candidate.objects.get(pk=by["甲"].pk)
    services.candidate_elect(actor=personas.east, candidate=c, result="elected", post=vice, version=c.version)
    c = Candidate.objects.get(pk=by["丙"].pk)
    services.candidate_elect(actor=personas.east, candidate=c, result="elected", post=standing, version=c.version)
    c = Candidate.objects.get(pk=by["丁"].pk)
    services.candidate_elect(actor=personas.east, candidate=c, result="not_elected", version=c.version)

    # then the elected have part-time posts in the people register, in the county's bodies
    posts = Post.objects.filter(unit=sel.selection.unit).order_by("id")
    assert [(p.person.name, p.body, p.title, p.tenure) for p in posts] == [
        ("甲", "leadership", "兼职副主席", "part_time"), ("丙", "standing", "兼职常委", "part_time")]
    assert Candidate.objects.get(pk=by["甲"].pk).post_id == posts[0].pk
    sel.selection.refresh_from_db()
    services.selection_finish(actor=personas.east, selection=sel.selection, version=sel.selection.version)
    sel.selection.refresh_from_db()
    assert sel.selection.status == "done"


def test_elect_before_vetting_pass_is_refused(sel, personas):
    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    c = Candidate.objects.get(pk=sel.candidates[0].pk)
    vice = sel.selection.posts.get(title="兼职副主席")
    with pytest.raises(Conflict):
        services.candidate_elect(actor=personas.east, candidate=c, result="elected", post=vice, version=c.version)
    assert not Post.objects.exists()


def test_a_scorer_link_works_once(sel, personas):
    close_call(personas.east, sel.selection)
    (_, token), = add_scorers(personas.east, sel.parts["jury"], 1)
    submit(token, sel.candidates, [80, 80, 80, 80])
    with pytest.raises(Conflict):
        submit(token, sel.candidates, [90, 90, 90, 90])
    assert Score.objects.count() == 4


def test_other_county_cannot_touch_the_selection(sel, personas):
    with pytest.raises(NotFound):
        queries.get_selection_for(personas.west, sel.selection.pk)
    with pytest.raises(Forbidden):
        queries.get_selection_for(personas.statistician, sel.selection.pk)
    assert AuditEntry.objects.filter(action="candidate.create").count() == 4


def test_a_stored_score_cannot_be_changed_or_deleted(sel, personas):
    from django.core.exceptions import ValidationError

    close_call(personas.east, sel.selection)
    (_, token), = add_scorers(personas.east, sel.parts["expert"], 1)
    submit(token, sel.candidates, [80, 80, 80, 80])
    score = Score.objects.first()
    score.value = Decimal(99)
    with pytest.raises(ValidationError):
        score.save()
    with pytest.raises(ValidationError):
        score.delete()
    assert Score.objects.get(pk=score.pk).value == 80


def test_scoring_rules_are_frozen_once_a_part_closes(sel, personas):
    s = sel.selection
    settings = {"weights": {"project": 50, "expert": 25, "jury": 25},
                "methods": {"project": "mean", "expert": "mean", "jury": "trimmed"},
                "tie_break": "expert,jury", "trim_min": 4}
    services.selection_configure(actor=personas.east, selection=s, version=s.version, **settings)
    assert s.tie_break == ["expert", "jury", "applied"] and s.trim_min == 4
    assert sel.selection.parts.get(kind="project").weight == 50
    close_call(personas.east, s)
    (_, token), = add_scorers(personas.east, sel.parts["project"], 1)
    submit(token, sel.candidates, [80, 80, 80, 80])
    part = sel.parts["project"]
    part.refresh_from_db()
    services.part_close(actor=personas.east, part=part, version=part.version)
    s.refresh_from_db()
    with pytest.raises(Conflict):
        services.selection_configure(actor=personas.east, selection=s, version=s.version, **settings)


def test_part_cannot_close_before_anyone_submitted_and_not_during_the_call(sel, personas):
    part = sel.parts["jury"]
    with pytest.raises(Conflict):
        services.part_close(actor=personas.east, part=part, version=part.version)
    close_call(personas.east, sel.selection)
    add_scorers(personas.east, part, 2)
    with pytest.raises(Conflict):
        services.part_close(actor=personas.east, part=part, version=part.version)
    part.refresh_from_db()
    assert part.closed_at is None


def test_the_link_can_be_texted_and_the_send_is_audited(sel, personas):
    from niangjia.core.sms import last_sent_to

    scorer, token = services.scorer_add(actor=personas.east, part=sel.parts["jury"], name="张阿姨",
                                        phone="13911112222")
    assert scorer.phone_mask == "139****2222" and "13911112222" not in scorer.phone_enc
    services.scorer_send_link(actor=personas.east, scorer=scorer, url=f"https://x/p/selection/score/{token}/")
    msg = last_sent_to("+8613911112222", services.TOKEN_PURPOSE)
    assert msg is not None and token in msg.body and "张阿姨" in msg.body
    assert AuditEntry.objects.filter(action="scorer.send_link").count() == 1
    nophone, _ = services.scorer_add(actor=personas.east, part=sel.parts["jury"], name="李阿姨")
    with pytest.raises(ValidationFailed):
        services.scorer_send_link(actor=personas.east, scorer=nophone, url="https://x/")


def test_submission_is_audited_without_an_actor(sel, personas):
    close_call(personas.east, sel.selection)
    (_, token), = add_scorers(personas.east, sel.parts["jury"], 1)
    submit(token, sel.candidates, [70, 71, 72, 73])
    entry = AuditEntry.objects.get(action="scores.submit")
    assert entry.actor is None and entry.detail["count"] == 4 and entry.l4 == sel.selection.unit.pk


def test_corrections_stop_once_an_election_result_exists(sel, personas):
    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    c = Candidate.objects.get(pk=sel.candidates[3].pk)
    services.candidate_vet(actor=personas.east, candidate=c, result="passed", note="合格", version=c.version)
    sel.selection.refresh_from_db()
    services.selection_start_election(actor=personas.east, selection=sel.selection, version=sel.selection.version)
    c.refresh_from_db()
    services.candidate_elect(actor=personas.east, candidate=c, result="not_elected", version=c.version)
    score = Score.objects.filter(candidate=c).first()
    with pytest.raises(Conflict):
        services.score_correct(actor=personas.east, score=score, value=90, reason="迟到的更正")
    assert not Score.objects.filter(supersedes=score).exists()


def test_vetting_is_refused_outside_the_vetting_stage(sel, personas):
    c = Candidate.objects.get(pk=sel.candidates[0].pk)
    with pytest.raises(Conflict):
        services.candidate_vet(actor=personas.east, candidate=c, result="passed", note="早", version=c.version)
    c.refresh_from_db()
    assert c.vetting == ""


def test_elected_woman_already_in_the_register_keeps_one_person_record(tree, personas):
    from niangjia.people.models import Person

    person = people.person_create(actor=personas.east, unit=tree.east_village, name="王芳", phone="13811112222")
    s = new_selection(personas.east, tree.east)
    cand = apply(personas.east, s, "王芳", "13811112222")
    close_call(personas.east, s)
    one = type("S", (), {})()
    one.selection, one.candidates, one.parts = s, [cand], {p.kind: p for p in s.parts.all()}
    score_all(personas.east, one, {"project": [[80]], "expert": [[80]], "jury": [[80]]})
    cand.refresh_from_db()
    services.candidate_vet(actor=personas.east, candidate=cand, result="passed", note="合格", version=cand.version)
    s.refresh_from_db()
    services.selection_start_election(actor=personas.east, selection=s, version=s.version)
    cand.refresh_from_db()
    services.candidate_elect(actor=personas.east, candidate=cand, result="elected",
                             post=s.posts.get(title="兼职常委"), version=cand.version)
    assert Person.objects.filter(name="王芳").count() == 1
    assert Post.objects.get(person=person).title == "兼职常委"


def test_summary_rows_from_the_services_equal_a_rebuild(sel, personas):
    from niangjia.core.models import SummaryCount
    from niangjia.stats import rollup

    def rows():
        return set(SummaryCount.objects.filter(metric=services.METRIC)
                   .exclude(count=0).values_list("period", "category", "status", "l1", "l2", "l3", "count"))

    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    c = Candidate.objects.get(pk=sel.candidates[0].pk)
    services.candidate_vet(actor=personas.east, candidate=c, result="passed", note="合格", version=c.version)
    sel.selection.refresh_from_db()
    services.selection_start_election(actor=personas.east, selection=sel.selection, version=sel.selection.version)
    c.refresh_from_db()
    services.candidate_elect(actor=personas.east, candidate=c, result="elected",
                             post=sel.selection.posts.get(title="兼职副主席"), version=c.version)
    bumped = rows()
    assert {(r[2], r[6]) for r in bumped} == {("", 3), ("elected", 1)}
    rollup.rebuild(services.METRIC)
    assert rows() == bumped
