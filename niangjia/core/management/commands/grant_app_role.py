from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from niangjia.core.db_roles import RoleRefused, grant_app_role, grant_statements


class Command(BaseCommand):
    help = ("Give the application's PostgreSQL role its privileges (run as the owner role after every "
            "migrate): read/write everywhere, but no TRUNCATE, and INSERT/SELECT only on append-only tables.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application role, e.g. niangjia_app")
        parser.add_argument("--print", action="store_true", dest="print_only", help="print the SQL, run nothing")

    def handle(self, *args, role, print_only=False, **options):
        try:
            if print_only:
                self.stdout.write(";\n".join(grant_statements(role)) + ";")
                return
            statements = grant_app_role(role)
        except RoleRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("已授权 {role}：{value} 条语句（审计等只增表：仅 SELECT、INSERT）").format(role=role, value=len(statements))))
