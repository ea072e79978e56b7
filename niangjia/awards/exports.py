"""Lists `niangjia export <name>` can write (registered in apps.py), scoped as the user sees them:
rounds she runs or takes part in, and the nominations inside her reach. Phones are masked."""

from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import in_subtree

from . import queries

ROUND_HEADERS = [_("编号"), _("公开编号"), _("评选名称"), _("荣誉称号"), _("组织单位"), _("阶段"), _("表彰名额"), _("组织推荐名额（每单位）"), _("社会推荐名额"),
                 _("评议方式"), _("推荐截止"), _("评议截止"), _("公示开始"), _("公示结束"), _("结果确定")]
NOMINATION_HEADERS = [_("编号"), _("评选编号"), _("评选"), _("推荐方式"), _("推荐单位/地区"), _("被推荐人"), _("所在单位或村社区"), _("主要事迹"), _("推荐人"),
                      _("推荐人电话"), _("被推荐人电话"), _("本人意见"), _("确认方式"), _("确认时间"), _("状态"), _("推荐日期")]


def rounds(user, unit):
    qs = in_subtree(queries.rounds_visible(user), unit).order_by("id")
    return ROUND_HEADERS, (
        [r.pk, r.code, r.name, r.award, r.unit.name, r.phase_name, r.places, r.default_org_quota, r.public_quota,
         r.get_mode_display(), r.nomination_ends, r.evaluation_ends, r.notice_starts, r.notice_ends, r.finalized_on]
        for r in qs.iterator(chunk_size=2000))


def nominations(user, unit):
    qs = in_subtree(queries.nominations_for(user), unit).order_by("round_id", "id")
    return NOMINATION_HEADERS, (
        [n.pk, n.round_id, n.round.name, n.get_kind_display(), n.unit.name, n.nominee_name, n.nominee_place, n.deeds,
         n.nominator_name, n.nominator_phone_mask, n.nominee_phone_mask, n.get_consent_display(),
         n.get_consent_via_display(), n.consent_at, n.get_status_display(), n.day]
        for n in qs.iterator(chunk_size=2000))


LISTS = [("award_rounds", _("评选表彰"), rounds), ("award_nominations", _("评选推荐"), nominations)]
