"""The suggestion box: public submission (idempotent, sealed contact, tracking code), reply, display."""

import pytest

from niangjia.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, IdempotencyKey, SummaryCount
from niangjia.participation import services
from niangjia.participation.models import Suggestion
from niangjia.stats import rollup
from tests.participation.conftest import PHONE_A


def submit(tree, key="k1", **kw):
    args = {"federation": tree.east, "text": "希望开办周末亲子阅读班", "channel": "website", "key": key}
    args.update(kw)
    return services.submit_suggestion(**args)


def test_anonymous_submission_has_code_no_actor_and_no_contact(tree):
    s, created = submit(tree, contact_name="张三", contact_phone=PHONE_A)
    assert created and len(s.tracking_code) == 8
    assert s.anonymous and s.contact_name == "" and s.contact_phone_enc == ""
    assert (s.l4, s.unit_id) == (tree.east.id, tree.east.id)
    entry = AuditEntry.objects.get(action="participation.suggestion_submit", target_id=str(s.pk))
    assert entry.actor is None and entry.actor_name == "system"


def test_named_submission_seals_the_phone(tree):
    s, _ = submit(tree, anonymous=False, contact_name="李四", contact_phone="138 0013 8000")
    s.refresh_from_db()
    assert s.contact_phone_mask == "138****8000"
    assert "13800138000" not in s.contact_phone_enc and s.contact_phone_bidx
    assert s.contact_name == "李四"


def test_same_channel_and_key_gives_one_letter(tree):
    first, created1 = submit(tree, key="wx-msg-1", channel="wechat")
    again, created2 = submit(tree, key="wx-msg-1", channel="wechat", text="另一条")
    assert created1 and not created2 and first.pk == again.pk
    assert Suggestion.objects.count() == 1
    other, created3 = submit(tree, key="wx-msg-1", channel="website")
    assert created3 and other.pk != first.pk


@pytest.mark.parametrize(("kw", "field"), [
    ({"text": "  "}, "text"),
    ({"channel": "fax"}, "channel"),
    ({"key": ""}, "key"),
    ({"anonymous": False}, "contact_name"),
    ({"anonymous": False, "contact_phone": "12345"}, "contact_phone"),
])
def test_bad_submissions_are_refused_naming_the_field(tree, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        submit(tree, **kw)
    assert field in exc.value.fields
    assert Suggestion.objects.count() == 0 and IdempotencyKey.objects.count() == 0


def test_inactive_federation_refused(tree):
    tree.east.is_active = False
    with pytest.raises(ValidationFailed):
        submit(tree)


def test_submission_feeds_summary_and_rebuild_agrees(tree):
    submit(tree, key="a")
    submit(tree, key="b", channel="wechat")
    before = sorted(SummaryCount.objects.filter(metric="suggestion").values_list("category", "count", "l3"))
    assert before == [("website", 1, tree.city.id), ("wechat", 1, tree.city.id)]
    rollup.rebuild("suggestion")
    after = sorted(SummaryCount.objects.filter(metric="suggestion").values_list("category", "count", "l3"))
    assert after == before


def test_reply_then_public_and_code_lookup(tree, personas):
    s, _ = submit(tree)
    with pytest.raises(ValidationFailed):
        services.suggestion_set_public(actor=personas.east, pk=s.pk, is_public=True)
    s = services.suggestion_reply(actor=personas.east, pk=s.pk, reply="已列入下月计划", version=1)
    assert s.status == "replied" and s.version == 2 and not s.is_public
    s = services.suggestion_set_public(actor=personas.east, pk=s.pk, is_public=True, version=2)
    assert s.is_public
    code = s.tracking_code
    found = services.suggestion_by_code(f"{code[:4].lower()}-{code[4:]}")
    assert found.pk == s.pk and found.reply == "已列入下月计划"
    assert services.suggestion_by_code("") is None


def test_reply_refusals(tree, personas):
    s, _ = submit(tree)
    with pytest.raises(NotFound):
        services.suggestion_reply(actor=personas.west, pk=s.pk, reply="越权")
    with pytest.raises(Forbidden):
        services.suggestion_reply(actor=personas.statistician, pk=s.pk, reply="无权")
    with pytest.raises(ValidationFailed):
        services.suggestion_reply(actor=personas.east, pk=s.pk, reply="")
    with pytest.raises(StaleVersion):
        services.suggestion_reply(actor=personas.east, pk=s.pk, reply="好", version=7)
    s.refresh_from_db()
    assert s.status == "new" and s.reply == ""
