"""`niangjia demo [--if-empty] [--small]`: load the demo federation and print where to log in."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from niangjia.demo import accounts, generator
from niangjia.org.models import Federation

LOGIN_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demo federation (浙江省, a few thousand persons, demo accounts) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="load only if there is no federation yet; otherwise skip quietly")
        parser.add_argument("--small", action="store_true", help="a small tree (one city, ~20 units), for tests")
        parser.add_argument("--seed", type=int, default=generator.SEED, help="random seed (default: %(default)s)")

    def handle(self, *args, if_empty=False, small=False, seed=generator.SEED, **options):
        if settings.PRODUCTION:  # the demo creates known accounts (admin / niangjia-demo): never in production
            raise CommandError("NIANGJIA_DEBUG 关闭（生产模式）时不能加载演示数据：它会创建公开密码的演示账号。"
                               " The demo refuses to run with NIANGJIA_DEBUG=false.")
        if Federation.objects.exists():
            if not if_empty:
                raise CommandError("数据库中已有组织数据，演示数据只能加载到空数据库（用 --if-empty 可跳过）。")
            self.stdout.write("数据库中已有组织数据，跳过加载演示数据。")
        else:
            started = time.monotonic()
            counts = generator.load("small" if small else "full", seed=seed)
            took = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"已加载演示数据（{took:.1f} 秒）："))
            self.stdout.write("  " + "，".join(_counts(counts)))
        self._print_accounts()

    def _print_accounts(self):
        rows = accounts.table()
        self.stdout.write("")
        self.stdout.write(f"登录地址：{LOGIN_URL}")
        if not rows:
            self.stdout.write("（数据库中没有演示账号：它不是由 niangjia demo 加载的。）")
            return
        self.stdout.write(f"演示账号（密码均为 {accounts.PASSWORD}）：")
        widths = [max(_width(r[i]) for r in [("用户名", "角色", "范围", "说明"), *rows]) for i in range(4)]
        for row in [("用户名", "角色", "范围", "说明"), *rows]:
            self.stdout.write("  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _counts(counts: dict) -> list[str]:
    """'name n' for each loader's count; a loader that counts several kinds reports them flat."""
    out = []
    for name, value in counts.items():
        if isinstance(value, dict):
            out += [f"{name}.{k} {v}" for k, v in value.items()]
        elif value is not None:
            out.append(f"{name} {value}")
    return out
