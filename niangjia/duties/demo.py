"""Demo duty checklists: the preset handed to 湖州市's 43 executive members, 安吉县's and 余村's,
with evidence for many (some complete, some behind), last year's checklists with reviews, and
reminders for those behind. `yucun_exec` finds her own checklist half done.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.accounts.models import User
from niangjia.org.models import Organisation

from . import rules, services
from .models import Assignment, ChecklistItem, Evidence

WHAT = {
    "contact_delegate": ["走访妇女代表{n}，听取对妇女之家活动的建议", "电话联系妇女代表{n}，了解村里留守妇女情况",
                         "与妇女代表{n}座谈，收集就业技能培训需求"],
    "poor_family": ["入户走访结对困难家庭{n}家，了解生活和就医情况", "与结对困难家庭{n}家商量孩子上学的事"],
    "problem_solved": ["协调村委会为{n}家落实临时救助", "帮{n}家联系来料加工活计，增加收入"],
    "online_group": ["建立“好姐妹”微信群，已有 {k} 人，每周分享政策和招工信息"],
    "social_org": ["联系指导{o}，商定下半年妇女公益项目"],
    "public_service": ["参加“春风行动”公益集市，为妇女提供法律咨询", "参加关爱留守儿童暑期公益课堂"],
    "research_report": ["完成《关于农村留守妇女就业情况的调研报告》", "完成《关于新就业形态女性权益保障的调研报告》"],
    "proposal": ["提交《关于在村级妇女之家设立儿童托管点的建议案》", "提交《关于加强农村妇女“两癌”筛查的建议案》"],
}
LINKS = {"research_report": "report", "proposal": "proposal"}


def _evidence_for(fake, a: Assignment, item: ChecklistItem, count: int, start: date, end: date, orgs, user) -> list:
    out = []
    for _ in range(count):
        text = fake.pick(WHAT.get(item.evidence_kind, ["履职活动"]))
        org = fake.pick(orgs) if orgs and item.evidence_kind == "social_org" else None
        what = text.format(n=fake.name(), k=fake.between(30, 180), o=org.name if org else "社会组织")
        ev = Evidence(assignment=a, item=item, kind=item.evidence_kind, what=what[:200],
                      day=fake.day_between(start, end), with_whom=fake.name() if fake.chance(0.6) else "",
                      organisation=org, link_type=LINKS.get(item.evidence_kind, ""),
                      link_text=what[2:60] if item.evidence_kind in LINKS else "", recorded_by=user)
        ev.place_in(a.unit)
        out.append(ev)
    return out


def _fill(fake, assignments, items, *, start: date, end: date, share_done: float, orgs, users, profile=None) -> list:
    """Evidence so that each assignment ends complete, on track or behind, around `share_done`."""
    evidence = []
    n = len(items)
    for a in assignments:
        kind = profile or fake.pick(["complete", "on_track", "on_track", "behind", "behind", "none"])
        if kind == "complete":
            k = n
        elif kind == "on_track":
            k = min(n, max(1, round(n * share_done) + fake.between(0, 2)))
        elif kind == "behind":
            k = max(0, round(n * share_done) - fake.between(2, 4))
        else:
            k = 0
        chosen = set(fake.rng.sample(range(n), k))
        for i, item in enumerate(items):
            if i in chosen:
                high = item.target_max if item.target_kind == rules.BETWEEN else item.target_min
                count = fake.between(item.target_min, high or item.target_min)
            elif item.target_min > 1 and kind != "none" and fake.chance(0.5):
                count = fake.between(1, item.target_min - 1)  # partly done, e.g. 3/5–7
            else:
                continue
            evidence += _evidence_for(fake, a, item, count, start, end, orgs, users.get(a.person_id))
    return evidence


def load(ctx) -> int:
    fake, admin = ctx.fake, ctx.admin
    today = fake.today
    year = today.year
    made = 0
    users = dict(User.objects.filter(person__isnull=False).values_list("person_id", "id"))
    users = {pid: User(pk=uid) for pid, uid in users.items()}
    share = rules.expected_share(today, year)
    evidence: list[Evidence] = []
    handed: list[Assignment] = []
    reviewed: list[Assignment] = []
    yucun_person = User.objects.filter(username="yucun_exec").values_list("person_id", flat=True).first()
    for place_name in ("湖州市", "安吉县", "德清县", "余村"):
        place = ctx.by_name.get(place_name)
        if place is None:
            continue
        unit = place.fed
        tpl = services.template_from_preset(actor=admin, unit=unit)
        items = list(ChecklistItem.objects.filter(template=tpl).order_by("order"))
        orgs = list(Organisation.objects.filter(**{f"l{unit.level}": unit.id}).order_by("id")[:30]) or \
            list(Organisation.objects.filter(l3=unit.l3).order_by("id")[:30])
        now = services.assignment_hand_out(actor=admin, unit=unit, template=tpl, year=year, body="executive")["created"]
        handed += now
        made += 1 + len(items) + len(now)
        mine = [a for a in now if a.person_id == yucun_person]
        others = [a for a in now if a.person_id != yucun_person]
        evidence += _fill(fake, others, items, start=date(year, 1, 1), end=today, share_done=share, orgs=orgs,
                          users=users)
        if mine:  # her own: about half done, delegates partly (3 of 5–7), so every card state shows
            a = mine[0]
            user = users.get(a.person_id)
            start = date(year, 1, 1)
            evidence += _evidence_for(fake, a, items[0], 3, start, today, orgs, user)
            for item in items[1:4]:
                evidence += _evidence_for(fake, a, item, 1, start, today, orgs, user)
        if place_name == "湖州市":  # last year: everyone handed, most complete, a few reviewed
            last = services.assignment_hand_out(actor=admin, unit=unit, template=tpl, year=year - 1,
                                                body="executive")["created"]
            made += len(last)
            evidence += _fill(fake, last, items, start=date(year - 1, 1, 1), end=date(year - 1, 12, 31),
                              share_done=1.0, orgs=orgs, users=users)
            handed += last
            reviewed = last[:15]
    Evidence.objects.bulk_create(evidence, batch_size=1000)
    made += len(evidence)
    for a in handed:
        services.refresh_progress(a)
    ratings = ["excellent", "competent", "competent", "competent", "basic", "incompetent"]
    for a in reviewed:
        rating = "excellent" if a.items_done == a.items_total and fake.chance(0.5) else fake.pick(ratings[1:])
        services.review_record(actor=admin, assignment=a, rating=rating, comment=fake.pick(
            ["履职认真，联系群众紧密", "调研报告质量较高", "建议加强与困难家庭的联系", "履职基本到位"]),
            reviewed_on=date(year, 1, 1) + timedelta(days=fake.between(5, 25)) if today >= date(year, 1, 31)
            else today)
        made += 1
    behind = [a for a in handed if a.year == year
              and rules.schedule_state(a.items_done, a.items_total, today, year) == rules.BEHIND]
    hers = [a for a in handed if a.year == year and a.person_id == yucun_person]
    made += _her_records(hers[0], items_of(hers[0]), today) if hers else 0
    # 余村's executive is reminded (she sees it under the bell and on her home page), then those behind
    remind = hers + [a for a in behind if a.person_id != yucun_person][:25]
    made += len(services.reminders_send(actor=admin, assignments=remind, day=today))
    return made


# A 1×1 PNG: the demo's photo evidence (real bytes, so the file view and the type check pass).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5273fcf0000000049454e44ae426082")


def items_of(a: Assignment) -> dict[str, ChecklistItem]:
    return {it.evidence_kind: it for it in ChecklistItem.objects.filter(template_id=a.template_id, is_active=True)}


def _her_records(a: Assignment, items: dict, today: date) -> int:
    """yucun_exec's own entries through the services: a home-visit photo, and one withdrawn by mistake."""
    user = User.objects.filter(username="yucun_exec").first()
    if user is None or "poor_family" not in items or today.year != a.year:
        return 0
    services.evidence_record(actor=user, assignment=a, item=items["poor_family"], day=today,
                             what="入户走访结对困难家庭，了解孩子上学和就医情况", with_whom="村妇联主席",
                             attachment=SimpleUploadedFile("入户走访.png", PNG, content_type="image/png"))
    wrong = services.evidence_record(actor=user, assignment=a, item=items.get("public_service", items["poor_family"]),
                                     day=today, what="参加公益集市（日期记错）")
    services.evidence_withdraw(actor=user, evidence=wrong, version=wrong.version, reason="日期记错，重新记录")
    return 2
