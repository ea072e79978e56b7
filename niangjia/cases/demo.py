"""Demo rights-protection work in 安吉县: 12338 calls (some handled), cases of several types and risks
assigned to anji_caseworker with anji_supervisor named supervisor, referrals in every status, one
emergency override, one woman who withdrew her consent to share after a first referral, closed cases
with satisfaction, and one high-risk case escalated for a missed follow-up. Written through the real services (audited, counted); times are then moved back so the
cases look like the last few weeks' work.
"""

from datetime import timedelta

from django.utils import timezone

from niangjia.accounts.models import User
from niangjia.core import periods
from niangjia.org.models import Organisation

from . import intake, services
from .models import Case, CaseEvent, FollowUp, HotlineCall

STORIES = [
    # (type, answers, share consent, narrative)
    ("domestic_violence", {"strangulation": True, "escalating": True, "children_at_risk": True}, False,
     "丈夫酒后多次殴打，昨晚掐住她的脖子，孩子在场。她带孩子躲在娘家，不敢回去。"),
    ("domestic_violence", {"threat_to_kill": True, "separation": True}, True,
     "提出离婚后，丈夫扬言要杀了她全家，已报警一次。"),
    ("domestic_violence", {"escalating": True}, True, "婆媳矛盾引发丈夫推搡，最近一个月发生三次。"),
    ("marriage_property", {}, True, "离婚时丈夫隐瞒民宿经营收入，想咨询财产分割。"),
    ("custody", {"children_at_risk": True}, True, "离婚后前夫不按判决支付抚养费，并拒绝让她探望孩子。"),
    ("employment", {}, True, "怀孕后被茶叶公司辞退，公司以“试用期不合格”为由。"),
    ("harassment", {"separation": True}, False, "在竹制品厂被车间主任多次言语骚扰，担心报复不敢声张。"),
    ("trafficking", {"no_safe_place": True, "threat_to_kill": True}, True,
     "外省女子自述被以介绍工作为名带到本地，证件被扣，今晚无处可去。"),
    ("other", {}, True, "村里土地征收补偿款分配时，出嫁女被排除在外。"),
    ("domestic_violence", {"weapon": True}, True, "丈夫持菜刀威胁，邻居报警后暂时离开。"),
]
CALL_NOTES = ["来电称被丈夫打伤，想知道怎么办", "咨询离婚时孩子抚养权", "咨询妇女创业贷款政策", "询问家庭教育讲座时间",
              "打错电话", "来电无声，回拨无人接听", "反映被单位辞退", "来电称有人跟踪骚扰"]


def load(ctx) -> int:
    anji = ctx.by_name["安吉县"].fed
    users = {u.username: u for u in User.objects.filter(username__in=[
        "anji_hotline", "anji_caseworker", "anji_supervisor", "huzhou_supervisor"])}
    if len(users) < 4:
        return 0
    worker, sup, operator = users["anji_caseworker"], users["anji_supervisor"], users["anji_hotline"]
    agencies = {o.agency_type: o for o in Organisation.objects.filter(unit=anji, kind="partner_agency")}
    villages = [p for p in ctx.places if p.level == 6 and getattr(p, "county", "") == "安吉县"] or [ctx.by_name["安吉县"]]
    now = periods.now()
    calls = _calls(ctx, operator, now)
    cases = []
    for n, (kind, answers, share, story) in enumerate(STORIES):
        place = ctx.fake.pick(villages)
        fields = {"case_type": kind, "narrative": story, "worker": worker, "supervisors": [sup], "answers": answers,
                  "consent_store": True, "consent_share": share, "consent_contact": n % 4 != 3,
                  "name": ctx.fake.name(), "address": ctx.fake.address(place),
                  "id_number": ctx.fake.id_number("330523", ctx.fake.birth_date(22, 55), "F") if n % 3 else "",
                  "phone": ctx.fake.mobile()}
        if n == 5:  # a typo in the check character: a warning, never a refusal
            fields["id_number"] = fields["id_number"][:-1] + ("0" if fields["id_number"][-1] != "0" else "1")
        if n < 4:
            case, _ = intake.call_to_case(actor=operator, call=calls[n], **fields)
        else:
            case, _ = services.case_open(actor=worker, unit=anji, channel=["walk_in", "intake_point", "rights_post",
                                                                             "online"][n % 4], **fields)
        cases.append(case)
    intake.call_to_need(actor=operator, call=calls[4], category="rights", urgency="normal",
                        description="咨询离婚时孩子抚养权，需要法律咨询")
    intake.call_to_need(actor=operator, call=calls[5], category="employment", urgency="normal",
                        description="咨询妇女创业贷款政策")
    intake.call_dismiss(actor=operator, call=calls[6], reason="打错电话")
    _work(cases, worker, sup, agencies)
    _backdate(ctx, cases, now)
    services.escalate_overdue(now=now)
    return len(cases)


def _calls(ctx, operator, now) -> list[HotlineCall]:
    out = []
    for n in range(14):
        started = now - timedelta(days=ctx.fake.between(0, 20), minutes=ctx.fake.between(0, 600))
        caller = ctx.fake.mobile() if n % 5 else ""
        call, _ = intake.call_receive(actor=operator, call_id=f"DEMO-12338-{n + 1:04d}", started_at=started,
                                      caller=caller, duration_seconds=ctx.fake.between(40, 1500),
                                      operator=operator.username, notes=CALL_NOTES[n % len(CALL_NOTES)])
        out.append(call)
    return out


def _work(cases, worker, sup, agencies) -> None:
    """Move the cases along: assessments, referrals in every status, follow-ups, an override, closures."""
    c = cases
    services.case_assess(actor=worker, case=c[0], answers=c[0].assessment)
    services.override_record(actor=sup, case=c[0], reason="《反家庭暴力法》第十四条：当事人人身安全面临现实危险，需立即通报公安机关")
    ref = services.referral_create(actor=worker, case=c[0], agency=agencies["police"], note="请求出具告诫书")
    services.referral_update(actor=worker, referral=ref, to="accepted", response="已受理，派出所民警已上门")
    services.referral_create(actor=worker, case=c[0], agency=agencies["shelter"], note="母子临时庇护")
    for case, agency, steps in ((c[1], "legal_aid", ("accepted", "done")), (c[1], "court", ("declined",)),
                                (c[4], "court", ()), (c[7], "police", ("accepted",)), (c[7], "shelter", ("accepted", "done")),
                                (c[5], "legal_aid", ("accepted",))):
        if case.status == "intake":
            services.case_assess(actor=worker, case=case, answers=case.assessment)
        r = services.referral_create(actor=worker, case=case, agency=agencies[agency])
        for to in steps:
            services.referral_update(actor=worker, referral=r, to=to)
    for case in (c[1], c[5], c[7]):
        services.case_transition(actor=worker, case=case, to="follow_up")
        services.follow_up_add(actor=worker, case=case, method="phone", note="电话回访，当事人情况稳定")
    services.case_assess(actor=worker, case=c[3], answers={})
    services.case_transition(actor=worker, case=c[3], to="closed", outcome="resolved", satisfaction=5,
                             reason="经法律咨询，已通过诉讼解决财产分割")
    services.case_assess(actor=worker, case=c[8], answers={})
    services.case_transition(actor=worker, case=c[8], to="closed", outcome="transferred", satisfaction=4,
                             reason="移交县农业农村局依法处理")
    services.case_transition(actor=worker, case=c[6], to="closed", outcome="withdrawn", reason="当事人决定暂不处理")
    services.case_assess(actor=worker, case=c[2], answers=c[2].assessment)
    # she agreed to legal aid, then feared her employer would hear of it: no further sharing outside
    services.consent_set(actor=worker, case=c[5], kind="share", given=False,
                         note="当事人担心公司知情，撤回向系统外单位共享信息的同意")


def _backdate(ctx, cases, now) -> None:
    """Spread the cases over the last three weeks; c[9] (high risk) has gone 30 hours without follow-up."""
    for n, case in enumerate(cases):
        opened = now - timedelta(days=20 - 2 * n, hours=ctx.fake.between(0, 8))
        if n == 9:
            opened = now - timedelta(hours=30)
        last = max(opened, now - timedelta(hours=ctx.fake.between(2, 20))) if n != 9 else opened
        Case.objects.filter(pk=case.pk).update(opened_at=opened, opened_on=timezone.localdate(opened),
                                               last_contact_at=last)
        FollowUp.objects.filter(case=case).update(at=last)
        CaseEvent.objects.filter(case=case, kind="open").update(at=opened)
