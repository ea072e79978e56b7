from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "niangjia.participation"
    label = "participation"
    verbose_name = "意见征集、意见箱与活动"

    def ready(self):
        from niangjia.stats import rollup

        from .suggestion_services import SUGGESTION_METRIC

        # submit_suggestion bumps (suggestion, federation, day, category=channel)
        rollup.register(SUGGESTION_METRIC, rollup.Source("participation.Suggestion", "day", category_field="channel"))
