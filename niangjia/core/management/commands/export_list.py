"""`niangjia export <list> [--unit CODE] --actor <username> -o out.xlsx`: any list, scoped as the actor sees it."""

from django.core.management.base import BaseCommand, CommandError

from niangjia.accounts.models import User
from niangjia.core import audit, excel
from niangjia.core.errors import DomainError
from niangjia.core.roles import require


def _federations(user, unit):
    from niangjia.org.queries import federations_for

    qs = federations_for(user).filter(is_active=True).select_related("parent").order_by("path")
    if unit is not None:
        qs = qs.filter(**{f"l{unit.level}": unit.id})
    return (["ID", "名称", "组织代码", "层级", "上级", "组织形式", "编制数", "12338热线"],
            ([f.pk, f.name, f.code, f.level_name, f.parent.name if f.parent else "", f.get_form_display(),
              f.staffing_quota, f.has_hotline] for f in qs.iterator(chunk_size=2000)))


def _sites(user, unit):
    from niangjia.org.queries import sites_for

    qs = sites_for(user, unit=unit).order_by("id")
    return (["ID", "名称", "类型", "所属组织", "组织代码", "地址", "依托单位", "设立日期"],
            ([s.pk, s.name, s.get_kind_display(), s.unit.name, s.unit.code, s.address, s.host, s.established_on]
             for s in qs.iterator(chunk_size=2000)))


def _organisations(user, unit):
    from niangjia.org.queries import organisations_for

    qs = organisations_for(user, unit=unit).order_by("id")
    return (["ID", "名称", "类型", "合作单位类别", "所属组织", "组织代码", "联系人", "联系电话", "女性人数"],
            ([o.pk, o.name, o.get_kind_display(), o.get_agency_type_display() if o.agency_type else "",
              o.unit.name, o.unit.code, o.contact_name, o.contact_phone, o.women_count]
             for o in qs.iterator(chunk_size=2000)))


def _persons(user, unit):
    from niangjia.people import queries

    qs = queries.persons_for(user, unit=unit).order_by("id")
    return queries.PERSON_EXPORT_HEADERS, queries.person_export_rows(qs)


def _posts(user, unit):
    from niangjia.people import queries

    qs = queries.posts_for(user).order_by("id")
    if unit is not None:
        qs = qs.filter(**{f"l{unit.level}": unit.id})
    return queries.POST_EXPORT_HEADERS, queries.post_export_rows(qs)


FOUNDATION_LISTS = {
    "federations": ("妇联组织", "org.view", _federations),
    "sites": ("阵地", "org.view", _sites),
    "organisations": ("合作组织", "org.view", _organisations),
    "persons": ("人员", "people.view", _persons),
    "posts": ("职务", "people.view", _posts),
}


def lists() -> dict:
    """The foundation's lists plus those the domain apps register (core.extensions.register_export)."""
    from niangjia.core.extensions import exports

    return {**FOUNDATION_LISTS, **exports()}


class Command(BaseCommand):
    help = "把一个列表导出为 Excel（只导出该用户管辖范围内的记录，敏感信息脱敏）"

    def add_arguments(self, parser):
        parser.add_argument("list", choices=sorted(lists()), help="要导出的列表")
        parser.add_argument("--unit", help="只导出该组织代码的下辖范围")
        parser.add_argument("--actor", required=True, help="以哪个用户的身份导出（权限与管辖范围）")
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")

    def handle(self, *args, list, unit, actor, output, **options):  # noqa: A002 - the argument's name
        from niangjia.org.queries import federations_for

        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{actor}")
        title, perm, rows_of = lists()[list]
        try:
            require(user, perm)
            require(user, "export")
            scope_unit = None
            if unit:
                scope_unit = federations_for(user).filter(code=unit).first()
                if scope_unit is None:
                    raise CommandError(f"组织代码不存在或不在您的管辖范围内：{unit}")
            headers, rows = rows_of(user, scope_unit)
            counted = _Counter(rows)
            data = excel.workbook_bytes(title, headers, counted)
            audit.exported(user, title, counted.n, filters={"unit": unit or "", "output": "cli"})
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        with open(output, "wb") as fh:
            fh.write(data)
        self.stdout.write(self.style.SUCCESS(f"已导出 {title} {counted.n} 行到 {output}"))


class _Counter:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row
