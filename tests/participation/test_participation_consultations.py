"""Consultations through the services: builder, publishing, the answer window, one answer per
woman (phone check code, one-time link, form key), paper entry, needs and ideas, summaries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.core import onetime
from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import SummaryCount
from niangjia.core.sensitive import blind_index
from niangjia.core.sms import last_sent_to
from niangjia.core.validators import normalize_phone
from niangjia.needs.models import Need
from niangjia.participation import services
from niangjia.participation.models import Answer, PhoneCheck, Response
from niangjia.stats import rollup
from tests.participation.conftest import PHONE_A, PHONE_B, good_sheet, make_consultation


def answer(c, key="k1", **kw):
    return services.submit_response(consultation=c, values=kw.pop("values", None) or good_sheet(c),
                                    channel=kw.pop("channel", "website"), key=key, **kw)


def sent_code(phone):
    """The code in the last text to the phone (the outbox keys numbers in E.164 form)."""
    return re.search(r"(\d{6})", last_sent_to(normalize_phone(phone), "participation.check_code").body).group(1)


# ---------------------------------------------------------------- builder


def test_builder_orders_moves_and_removes(tree, personas):
    c = make_consultation(personas.east, tree.east, publish=False)
    q = list(c.questions.all())
    assert [x.position for x in q] == [1, 2, 3, 4]
    services.question_move(actor=personas.east, question=q[2], version=1, direction="up")
    services.question_move(actor=personas.east, question=q[0], version=1, direction="up")  # already first: stays
    assert list(c.questions.values_list("pk", flat=True)) == [q[0].pk, q[2].pk, q[1].pk, q[3].pk]
    services.question_remove(actor=personas.east, question=q[0], version=1)
    assert list(c.questions.values_list("position", "pk")) == [(1, q[2].pk), (2, q[1].pk), (3, q[3].pk)]


def test_bad_question_is_refused_naming_the_field(tree, personas):
    c = make_consultation(personas.east, tree.east, publish=False)
    with pytest.raises(ValidationFailed) as exc:
        services.question_add(actor=personas.east, consultation=c, kind="single", text="只有一个选项", options=["是"])
    assert "options" in exc.value.fields and c.questions.count() == 4


def test_publish_needs_a_question_and_questions_freeze_after_answers(tree, personas):
    empty = services.consultation_create(actor=personas.east, unit=tree.east, title="空问卷",
                                         opens_on=timezone.localdate(), closes_on=timezone.localdate())
    with pytest.raises(ValidationFailed):
        services.consultation_publish(actor=personas.east, consultation=empty, version=empty.version)
    c = make_consultation(personas.east, tree.east)
    answer(c)
    c.refresh_from_db()
    with pytest.raises(Conflict):
        services.question_add(actor=personas.east, consultation=c, kind="text", text="新题")
    with pytest.raises(Conflict):
        services.question_remove(actor=personas.east, question=c.questions.first(), version=1)


def test_audience_must_be_inside_the_unit(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        services.consultation_create(actor=personas.province, unit=tree.east, audience=tree.west, title="x",
                                     opens_on=timezone.localdate(), closes_on=timezone.localdate())
    assert "audience" in exc.value.fields
    c = services.consultation_create(actor=personas.east, unit=tree.east, audience=tree.east_village, title="村里",
                                     opens_on=timezone.localdate(), closes_on=timezone.localdate())
    assert c.audience == tree.east_village


def test_permissions(tree, personas):
    day = timezone.localdate()
    with pytest.raises(Forbidden):
        services.consultation_create(actor=personas.statistician, unit=tree.east, title="x", opens_on=day, closes_on=day)
    with pytest.raises(NotFound):
        services.consultation_create(actor=personas.west, unit=tree.east, title="x", opens_on=day, closes_on=day)


# ---------------------------------------------------------------- the window


@pytest.mark.parametrize(("opens", "closes", "accepted"), [
    (0, 0, True),  # opens and closes today
    (-5, 0, True),  # last day
    (1, 5, False),  # opens tomorrow
    (-5, -1, False),  # closed yesterday
])
def test_answers_only_inside_the_window(tree, personas, opens, closes, accepted):
    c = make_consultation(personas.east, tree.east, opens=opens, closes=closes)
    if accepted:
        answer(c)
        assert Response.objects.count() == 1
    else:
        with pytest.raises(Conflict) as exc:
            answer(c)
        assert "暂不接受答卷" in exc.value.message and Response.objects.count() == 0


def test_draft_takes_no_answers(tree, personas):
    c = make_consultation(personas.east, tree.east, publish=False)
    with pytest.raises(Conflict):
        answer(c)


# ---------------------------------------------------------------- the sheet


def test_required_questions_and_ranges_refuse_the_whole_sheet(tree, personas, consultation):
    q = list(consultation.questions.all())
    bad = {q[0].pk: [], q[1].pk: [0, 1, 2], q[2].pk: 6}
    with pytest.raises(ValidationFailed) as exc:
        answer(consultation, values=bad)
    assert exc.value.fields == {f"q{q[0].pk}": "此题为必答题", f"q{q[1].pk}": "最多选择 2 项",
                                f"q{q[2].pk}": "评分应在 1 到 5 之间"}
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_a_sheet_is_stored_with_its_answers_and_counted(tree, personas, consultation):
    r, created = answer(consultation)
    assert created and r.l4 == tree.east.pk
    assert sorted(Answer.objects.filter(response=r).values_list("question__position", flat=True)) == [1, 2, 3, 4]
    consultation.refresh_from_db()
    assert consultation.response_count == 1
    before = list(SummaryCount.objects.filter(metric="participation_response").values_list("category", "count"))
    assert before == [("website", 1)]
    rollup.rebuild("participation_response")
    assert list(SummaryCount.objects.filter(metric="participation_response").values_list("category", "count")) == before


def test_same_form_key_gives_one_sheet(tree, personas, consultation):
    first, c1 = answer(consultation, key="same")
    again, c2 = answer(consultation, key="same")
    assert c1 and not c2 and first.pk == again.pk and Response.objects.count() == 1
    consultation.refresh_from_db()
    assert consultation.response_count == 1


def test_anonymous_allows_many_sheets(tree, personas, consultation):
    answer(consultation, key="a")
    answer(consultation, key="b")
    assert Response.objects.count() == 2


# ---------------------------------------------------------------- phone check codes


@pytest.fixture
def by_phone(tree, personas):
    return make_consultation(personas.east, tree.east, identity="phone")


def test_phone_answer_stores_only_the_blind_index(by_phone):
    services.send_check_code(consultation=by_phone, phone=PHONE_A)
    r, _ = answer(by_phone, phone=PHONE_A, code=sent_code(PHONE_A))
    assert r.phone_bidx == blind_index("+8613800138000")
    check = PhoneCheck.objects.get()
    assert "13800138000" not in (check.phone_bidx + check.code_digest)


def test_same_phone_twice_is_refused_with_a_clear_message(by_phone):
    services.send_check_code(consultation=by_phone, phone=PHONE_A)
    answer(by_phone, key="first", phone=PHONE_A, code=sent_code(PHONE_A))
    with pytest.raises(Conflict) as exc:
        services.send_check_code(consultation=by_phone, phone="138 0013 8000")
    assert exc.value.message == "此手机号已经提交过答卷，每人只能提交一份"
    with pytest.raises(Conflict) as exc:  # even with the old code and a new form key
        answer(by_phone, key="second", phone=PHONE_A, code=sent_code(PHONE_A))
    assert exc.value.message == "此手机号已经提交过答卷，每人只能提交一份"
    assert Response.objects.count() == 1


def test_phone_needs_a_code_and_wrong_codes_are_counted(by_phone):
    with pytest.raises(ValidationFailed) as exc:
        answer(by_phone, phone=PHONE_B, code="")
    assert "code" in exc.value.fields
    services.send_check_code(consultation=by_phone, phone=PHONE_B)
    right = sent_code(PHONE_B)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationFailed) as exc:
            answer(by_phone, key=f"w{left}", phone=PHONE_B, code=wrong)
        assert f"还可尝试 {left} 次" in exc.value.message
    with pytest.raises(ValidationFailed):
        answer(by_phone, key="w0", phone=PHONE_B, code=wrong)
    with pytest.raises(ValidationFailed) as exc:  # the right code no longer helps: too many tries
        answer(by_phone, key="ok", phone=PHONE_B, code=right)
    assert "次数过多" in exc.value.message and Response.objects.count() == 0


def test_expired_code_is_refused(by_phone):
    services.send_check_code(consultation=by_phone, phone=PHONE_A)
    PhoneCheck.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as exc:
        answer(by_phone, phone=PHONE_A, code=sent_code(PHONE_A))
    assert "过期" in exc.value.message


def test_resend_is_throttled(by_phone):
    services.send_check_code(consultation=by_phone, phone=PHONE_A)
    with pytest.raises(ValidationFailed):
        services.send_check_code(consultation=by_phone, phone=PHONE_A)


# ---------------------------------------------------------------- one-time links


def test_one_time_link_answers_once(tree, personas):
    c = make_consultation(personas.east, tree.east, identity="link")
    token, other = services.issue_links(actor=personas.east, consultation=c, count=2)
    with pytest.raises(Conflict):
        answer(c, key="none")
    answer(c, key="a", token=token)
    with pytest.raises(Conflict) as exc:
        answer(c, key="b", token=token)
    assert exc.value.message == onetime.MSG_USED
    with pytest.raises(NotFound):
        answer(c, key="c", token="not-a-token")
    answer(c, key="d", token=other)
    assert Response.objects.count() == 2


def test_a_link_of_another_consultation_is_refused(tree, personas):
    c1 = make_consultation(personas.east, tree.east, identity="link")
    c2 = make_consultation(personas.east, tree.east, identity="link")
    token = services.issue_links(actor=personas.east, consultation=c1, count=1)[0]
    with pytest.raises(NotFound):
        answer(c2, token=token)
    assert Response.objects.count() == 0


# ---------------------------------------------------------------- paper, needs and ideas


def test_paper_entry_by_cadre_only(tree, personas):
    c = make_consultation(personas.east, tree.east, identity="phone", via_paper=True, opens=-9, closes=-1)
    r, _ = answer(c, channel="paper", actor=personas.east, phone=PHONE_A)  # after closing: typed-in forms still count
    assert r.entered_by == personas.east and r.phone_bidx
    with pytest.raises(Forbidden):
        answer(c, key="x", channel="paper", actor=personas.statistician)
    with pytest.raises(Conflict):  # same phone on paper: still one answer per woman
        answer(c, key="y", channel="paper", actor=personas.east, phone=PHONE_A)


def test_free_text_becomes_a_need_once_and_an_idea(tree, personas, consultation):
    r, _ = answer(consultation, values=good_sheet(consultation, "村里缺少托管班"))
    text = Answer.objects.get(response=r, question__kind="text")
    need = services.answer_to_need(actor=personas.east, answer=text, category="family_education")
    assert (need.source_type, need.source_id, need.channel, need.description) == \
        ("participation.Answer", text.pk, "website", "村里缺少托管班")
    with pytest.raises(Conflict):
        services.answer_to_need(actor=personas.east, answer=text, category="other")
    assert Need.objects.count() == 1
    idea = services.answer_to_idea(actor=personas.east, answer=text)
    text.refresh_from_db()
    assert text.idea == idea and idea.consultation == consultation and idea.text == "村里缺少托管班"
    choice = Answer.objects.get(response=r, question__kind="single")
    with pytest.raises(ValidationFailed):
        services.answer_to_need(actor=personas.east, answer=choice, category="other")
