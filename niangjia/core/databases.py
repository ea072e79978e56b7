"""Pointing a command at another database (`niangjia bench --database-url`, wechat's `bench_intake`)."""

from django.conf import settings
from django.db import connections


def use_database(url: str) -> None:
    """Point Django's default connection at `url` for the rest of this process."""
    import dj_database_url  # only the bench commands need it: not imported with every process

    connections.close_all()
    cfg = connections.configure_settings({"default": dj_database_url.parse(url)})["default"]
    settings.DATABASES["default"] = cfg
    connections.settings["default"] = cfg
    try:
        del connections["default"]
    except AttributeError:
        pass
