"""Lists `niangjia export <name>` can write (registered in apps.py), scoped as the user sees them.
Phones and ID numbers are masked; scores stay in the per-selection result sheet (`selection_sheet`)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.access import scoped
from niangjia.core.scope import in_subtree

from . import queries
from .models import Candidate

SELECTION_HEADERS = [_("编号"), _("名称"), _("组织"), _("状态"), _("报名开始"), _("报名截止"), _("职务与名额"), _("同分规则"), _("报名人数"), _("完成日期")]
CANDIDATE_HEADERS = [_("编号"), _("选配编号"), _("选配"), _("报名编号"), _("姓名"), _("性别"), _("工作单位/职业"), _("电话"), _("身份证号"), _("意向职务"), _("项目名称"),
                     _("项目回应的妇女需求"), _("实施计划"), _("报名方式"), _("报名时间"), _("考察结果"), _("考察意见"), _("选举结果"), _("当选职务")]


def selections(user, unit):
    qs = queries.selections_for(user, unit=unit).prefetch_related("posts").order_by("id")
    return SELECTION_HEADERS, (
        [s.pk, s.title, s.unit.name, s.get_status_display(), s.call_opens, s.call_closes,
         "、".join(gettext("{title}{seats}名").format(title=p.title, seats=p.seats) for p in s.posts.all()), "→".join(s.tie_break or []), s.candidate_count,
         s.finished_on] for s in qs.iterator(chunk_size=500))


def candidates(user, unit):
    qs = in_subtree(scoped(Candidate.objects.select_related("selection", "wish", "elected_to"), user), unit) \
        .order_by("selection_id", "applied_at", "id")
    return CANDIDATE_HEADERS, (
        [c.pk, c.selection_id, c.selection.title, c.tracking_code, c.name, c.get_gender_display(), c.workplace,
         c.phone_mask, c.id_number_mask, c.wish.title if c.wish else "", c.project_title, c.project_need,
         c.project_plan, c.get_channel_display(), c.applied_at, c.get_vetting_display(), c.vetting_note,
         c.get_election_display(), c.elected_to.title if c.elected_to else ""] for c in qs.iterator(chunk_size=2000))


LISTS = [("selections", _("公开选配"), selections), ("selection_candidates", _("公开选配报名人选"), candidates)]
