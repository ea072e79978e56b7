from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "niangjia.people"
    label = "people"
    verbose_name = _("人员与职务")

    def ready(self):
        # ready() runs once the app registry is loaded: the modules below import models
        from niangjia.core.extensions import register_bench, register_export, register_unit_context

        # apps.py loads before the models: imported when ready() runs
        from . import bench, views
        from .exports import LISTS

        register_unit_context(views.federation_people)

        for name, (title, perm, fn) in LISTS.items():
            register_export(name, title, perm, fn)
        register_bench(30, bench.TITLE, bench.run)
