from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeopleConfig(AppConfig):
    name = "niangjia.people"
    label = "people"
    verbose_name = _("人员与职务")

    def ready(self):
        # ready() runs once the app registry is loaded: the modules below import models
        from niangjia.core.extensions import (
            register_bench,
            register_export,
            register_nav_item,
            register_unit_context,
        )

        # apps.py loads before the models: imported when ready() runs
        from . import bench, views
        from .exports import LISTS

        register_unit_context(views.federation_people)

        for name, (title, perm, fn) in LISTS.items():
            register_export(name, title, perm, fn)
        register_bench(30, bench.TITLE, bench.run)
        register_nav_item(8, pgettext_lazy("nav", "人员"), "/people/", ("people.view",), more=True)
