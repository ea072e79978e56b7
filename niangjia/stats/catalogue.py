"""What each summary metric means to a reader: its name, area, unit words and who may see it.

Every app declares its metrics, facts and words together, in its metrics module (core.metrics);
this catalogue is a view of that registry in the order of the areas the figures pages show
(PRODUCT.md §11: every count rolls up from village to nation).
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from niangjia.core import metrics
from niangjia.core.metrics import Metric

Figure = Metric  # a metric carries its own words (core.metrics)

AREAS = (_("组织建设"), _("工作活动"), _("执委履职"), _("下基层"), _("直接联系群众"), _("需求与服务"), _("维权"), _("妇女参与"), _("评选与选配"),
         _("其他"))



def _figures() -> list[Metric]:
    """Every declared metric, in the order of the areas (then as the apps declare them)."""
    return sorted(metrics.REGISTRY.values(), key=lambda f: AREAS.index(f.area) if f.area in AREAS else len(AREAS))


def figure(metric: str) -> Figure:
    return metrics.REGISTRY.get(metric) or Metric(metric, "", "", label=metric)


def figures_for(has_perm) -> list[Figure]:
    """The registered metrics the user may see, in catalogue order (area, then as listed)."""
    return [f for f in _figures() if has_perm(f.perm)]


def views_of(metric: str, has_perm) -> list[Figure]:
    """Other breakdowns of the same facts, linked from a metric's page."""
    return [f for f in _figures() if f.view_of == metric and has_perm(f.perm)]


def code_labels(fig: Figure, which: str) -> dict:
    """Display names of a metric's category ('category') or status ('status') codes."""
    name = fig.category_field if which == "category" else fig.status_field
    if not name:
        return {}
    model_field = apps.get_model(fig.model)._meta.get_field(name)
    return {**{str(k): str(v) for k, v in model_field.flatchoices}, **fig.labels}
