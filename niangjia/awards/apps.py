from django.apps import AppConfig
from django.utils.translation import gettext_noop


class AwardsConfig(AppConfig):
    name = "niangjia.awards"
    label = "awards"
    verbose_name = "评选表彰"

    def ready(self) -> None:
        from niangjia.core.extensions import register_demo_loader, register_home_panel, register_nav_item
        from niangjia.stats.rollup import Source, register

        from . import demo, rules, views

        rules.register_policies()
        # services.nomination_create_* bump (award_nomination, nominating unit, day, category=kind)
        register("award_nomination", Source("awards.Nomination", "day", category_field="kind"))
        # evaluation._write_ballot bumps (award_ballot, round's unit, day): one count per ballot
        register("award_ballot", Source("awards.Ballot", "day"))
        # services.objection_file bumps (award_objection, round's unit, day)
        register("award_objection", Source("awards.Objection", "day"))
        register_nav_item(60, gettext_noop("评选表彰"), "/awards/", ("awards.manage",))
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "awards", demo.load)
        from niangjia.core.extensions import register_export

        from .exports import LISTS

        for name, title, fn in LISTS:
            register_export(name, title, "awards.manage", fn)
