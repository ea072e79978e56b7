"""`niangjia bootstrap`: an empty database's first two records — the tree's root and its first administrator.

The password is checked against the password policy. It comes from the environment variable
NIANGJIA_ADMIN_PASSWORD, or from standard input with --password-stdin (for automation), or is asked
for twice at the terminal. Refuses when the tree already has a root.
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts.models import User, UserScope
from niangjia.core.context import RequestInfo, reset_request_info, set_request_info
from niangjia.core.errors import DomainError
from niangjia.core.i18n import TranslatedCommand
from niangjia.org import services as org
from niangjia.org.models import Federation

NATION_CODE = "100000000000"
ENV_PASSWORD = "NIANGJIA_ADMIN_PASSWORD"


# the root federation's stored name: a division name, never translated
NATIONAL_ROOT_NAME = "全国妇联"
PROVINCE_ROOT_NAME = "{} 省妇联"


class Command(TranslatedCommand):
    help = (format_lazy(gettext_lazy("创建根组织（全国妇联；省级部署时为省妇联）和第一个系统管理员。密码取自环境变量 {ENV_PASSWORD}、--password-stdin 或终端输入，须符合密码策略。已有根组织时拒绝。"), ENV_PASSWORD=ENV_PASSWORD))

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help=_("系统管理员用户名（默认 admin）"))
        parser.add_argument("--name", default=None, help=_("根组织名称（默认：全国妇联；省级部署为 <省名>妇联）"))
        parser.add_argument("--code", default=NATION_CODE, help=_("全国根组织的代码（默认 {NATION_CODE}）").format(NATION_CODE=NATION_CODE))
        parser.add_argument("--province", default=None, metavar="CODE",
                            help=_("省级部署：以该省的 2 位区划代码（如 33）建省妇联为根，导入时只取本省"))
        parser.add_argument("--password-stdin", action="store_true", help=_("从标准输入读取密码（一行）"))

    def handle(self, *args, username, name, code, province, password_stdin, **options):
        if Federation.objects.filter(parent__isnull=True).exists():
            raise CommandError(_("已有根组织，不能再次初始化（bootstrap 只用于空数据库）"))
        if User.objects.filter(username=username).exists():
            raise CommandError(_("用户名已存在：{username}").format(username=username))
        if province is not None and not (len(province) == 2 and province.isdigit()):
            raise CommandError(_("--province 应为 2 位省级区划代码，如 33"))
        level, code = (2, province) if province else (1, code)
        name = name or (NATIONAL_ROOT_NAME if level == 1 else PROVINCE_ROOT_NAME.format(province))
        user = User(username=username, roles=["admin"], is_superuser=True, is_staff=True)
        password = self._password(password_stdin)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(_("密码不符合策略：") + "；".join(exc.messages)) from exc
        user.set_password(password)
        token = set_request_info(RequestInfo(channel="cli"))
        try:
            with transaction.atomic():
                user.save()
                root = org.federation_root_create(actor=user, name=name, code=code, level=level)
                UserScope.objects.create(user=user, unit=root)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)
        self.stdout.write(self.style.SUCCESS(
            _("已创建根组织“{name}”（代码 {code}）和系统管理员 {username}。下一步：niangjia tree import <区划代码文件> --commit").format(name=root.name, code=root.code, username=username)))

    def _password(self, from_stdin: bool) -> str:
        if os.environ.get(ENV_PASSWORD):
            return os.environ[ENV_PASSWORD]
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError(_("没有密码：请设置 {ENV_PASSWORD}，或加 --password-stdin，或在终端运行").format(ENV_PASSWORD=ENV_PASSWORD))
        first = getpass.getpass(_("系统管理员密码："))
        if first != getpass.getpass(_("再输入一次：")):
            raise CommandError(_("两次输入的密码不一致"))
        return first
