"""What every award write shares: the round's constants, the row lock, the day and the manager check."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import periods
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.org.models import Federation

from .. import metrics
from ..models import AwardRound

METRIC_NOMINATION = metrics.NOMINATION.name
METRIC_OBJECTION = metrics.OBJECTION.name
CONSENT_PURPOSE = "awards.consent"
CONSENT_TTL = timedelta(days=14)
ROUND_FIELDS = {"name", "award", "kind", "description", "places", "default_org_quota", "public_quota", "mode",
                "max_choices", "nomination_ends", "evaluation_ends"}
MSG_NO_CONSENT = gettext_lazy("被推荐人本人尚未同意推荐，不能入围")



def today():
    return periods.today()


def user_of(actor):
    return actor if getattr(actor, "pk", None) else None


def require_manager(actor, rnd: AwardRound) -> None:
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, rnd)


def lock_round(rnd: AwardRound) -> AwardRound:
    """Re-read the round under a row lock (inside the caller's transaction)."""
    return AwardRound.objects.select_for_update().get(pk=rnd.pk)



def nominating_unit(rnd: AwardRound, unit) -> Federation:
    if unit is None or unit.parent_id != rnd.unit_id:
        raise ValidationFailed(_("推荐单位应为{name}的直属下级妇联").format(name=rnd.unit.name), fields={"unit": _("不是直属下级妇联")})
    return unit
