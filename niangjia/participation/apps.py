from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "niangjia.participation"
    label = "participation"
    verbose_name = "意见征集、意见箱与活动"
