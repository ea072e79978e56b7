from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "niangjia.cases"
    label = "cases"
    verbose_name = "维权个案"
