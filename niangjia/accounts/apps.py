from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "niangjia.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
