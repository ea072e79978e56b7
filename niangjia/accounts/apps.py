from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "niangjia.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from django.db.models.signals import post_delete, post_save

        from niangjia.core import callers
        from niangjia.core.extensions import register_nav_item

        from .models import ApiToken, User, UserScope

        # Cache flushing only (no business logic in signals): what core.callers keeps about a user is
        # stale once her account, scopes or tokens change, however they were saved (services, admin).
        def user_changed(sender, instance, **kwargs):
            callers.forget_user(instance.pk)

        def part_changed(sender, instance, **kwargs):
            callers.forget_user(instance.user_id)

        def unit_changed(sender, instance, created=False, **kwargs):
            if not created:  # a new unit is in no one's cached reach yet
                callers.forget_all()

        post_save.connect(user_changed, sender=User, dispatch_uid="callers.user_saved")
        post_delete.connect(user_changed, sender=User, dispatch_uid="callers.user_deleted")
        for model in (UserScope, ApiToken):
            post_save.connect(part_changed, sender=model, dispatch_uid=f"callers.{model.__name__}_saved")
            post_delete.connect(part_changed, sender=model, dispatch_uid=f"callers.{model.__name__}_deleted")
        post_save.connect(unit_changed, sender="org.Federation", dispatch_uid="callers.unit_saved")
        register_nav_item(91, pgettext_lazy("nav", "用户"), "/users/", ("users.manage",), more=True)
        register_nav_item(92, pgettext_lazy("nav", "审计"), "/audit/", ("audit.view",), more=True)
