from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "niangjia.people"
    label = "people"
    verbose_name = "人员与职务"
