from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "niangjia.org"
    label = "org"
    verbose_name = "组织体系"
