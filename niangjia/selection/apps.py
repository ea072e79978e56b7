from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "niangjia.selection"
    label = "selection"
    verbose_name = "公开选配"
