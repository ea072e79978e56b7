from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo federation as an app only for its command (`niangjia demo`): it sits above every app
    (.importlinter), so the command may load the tree, the accounts and each app's demo loaders."""

    name = "niangjia.demo"
    label = "demo"
    verbose_name = "演示数据"
