from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ParticipationConfig(AppConfig):
    name = "niangjia.participation"
    label = "participation"
    verbose_name = "意见征集、意见箱与活动"

    def ready(self):
        from niangjia.core.extensions import register_demo_loader, register_home_panel, register_nav_item
        from niangjia.stats import rollup

        from . import demo, rules, views  # noqa: F401 - rules registers the policies
        from .services import RATING_METRIC, REGISTRATION_METRIC, RESPONSE_METRIC, SUGGESTION_METRIC

        # submit_suggestion bumps (suggestion, federation, day, category=channel)
        rollup.register(SUGGESTION_METRIC, rollup.Source("participation.Suggestion", "day", category_field="channel"))
        # submit_response bumps (participation_response, consultation unit, day, category=channel)
        rollup.register(RESPONSE_METRIC, rollup.Source("participation.Response", "day", category_field="channel"))
        # register bumps +1 at its status; every status change moves one count from old to new status
        rollup.register(REGISTRATION_METRIC, rollup.Source("participation.Registration", "day",
                                                           status_field="status"))
        # rating_submit bumps (participation_rating, activity unit, day, total=score): mean = total / count
        rollup.register(RATING_METRIC, rollup.Source("participation.Rating", "day", total="{score}"))
        register_nav_item(60, gettext_noop("意见征集与活动"), "/participation/", ("participation.view", "participation.manage"))
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "participation", demo.load)
        from niangjia.core.extensions import register_export

        from .exports import LISTS

        for name, title, fn in LISTS:
            register_export(name, title, "participation.view", fn)
