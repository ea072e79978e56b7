"""The demo accounts: one per role at several levels, each scoped to its unit's subtree.

Passwords are set with set_password directly: `niangjia-demo` would fail the production
password policy (length and character classes), which is right for real accounts.
"""

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from niangjia.accounts.models import User, UserScope
from niangjia.core.roles import ROLES

PASSWORD = "niangjia-demo"


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    unit: str | None  # place name of the scope's root (None: superuser, whole tree)
    person: tuple[str, str, int] | None  # (place name, roster key, index) of the linked person
    note: str = ""


ACCOUNTS = [
    Account("admin", "admin", None, None, "超级管理员"),
    Account("zj_admin", "admin", "浙江省", ("浙江省", "staff", 0), "省妇联系统管理员"),
    Account("zj_leader", "leader", "浙江省", ("浙江省", "leadership", 0), "省妇联主席"),
    Account("huzhou_leader", "leader", "湖州市", ("湖州市", "leadership", 0), "市妇联主席"),
    Account("anji_leader", "leader", "安吉县", ("安吉县", "leadership", 0), "县妇联主席"),
    Account("deqing_cadre", "cadre", "德清县", ("德清县", "staff", 0), "县妇联机关干部"),
    Account("thp_cadre", "cadre", "天荒坪镇", ("天荒坪镇", "staff", 0), "乡镇妇联专职干部"),
    Account("yucun_exec", "executive", "余村", ("余村", "executive", 0), "村妇联执委"),
    Account("anji_hotline", "hotline_operator", "安吉县", ("安吉县", "staff", 1), "12338热线接线员"),
    Account("anji_caseworker", "case_worker", "安吉县", ("安吉县", "staff", 2), "维权个案工作者"),
    Account("anji_supervisor", "case_supervisor", "安吉县", ("安吉县", "staff", 3), "县妇联维权督导"),
    Account("huzhou_supervisor", "case_supervisor", "湖州市", ("湖州市", "staff", 4), "市妇联维权督导"),
    Account("huzhou_stats", "statistician", "湖州市", ("湖州市", "staff", 3), "市妇联统计员"),
]


def _with_password(username: str) -> User:
    user = User(username=username)
    user.set_password(PASSWORD)
    return user


def hash_in_background() -> dict[str, Future]:
    """Start hashing the passwords on another core (PBKDF2 releases the GIL) while the load runs.

    Each hash takes most of a second on a small machine; eleven of them in line would be a
    fifth of the load's time.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-passwords")
    futures = {acc.username: pool.submit(_with_password, acc.username) for acc in ACCOUNTS}
    pool.shutdown(wait=False)
    return futures


def create(places_by_name: dict, hashed: dict[str, Future] | None = None) -> tuple[User, int]:
    """Create every demo account that does not exist yet; returns the superuser and the count made."""
    hashed = hashed or {}
    made, admin = 0, None
    for acc in ACCOUNTS:
        existing = User.objects.filter(username=acc.username).first()
        if existing is not None:
            admin = admin or (existing if acc.username == "admin" else None)
            continue
        person = None
        if acc.person:
            place, key, i = acc.person
            person = places_by_name[place].roster[key][i]
        user = hashed[acc.username].result() if acc.username in hashed else _with_password(acc.username)
        user.roles, user.person = [acc.role], person
        user.is_superuser = user.is_staff = acc.unit is None
        user.first_name = person.name if person else "系统管理员"
        user.save()
        if acc.unit:
            UserScope.objects.create(user=user, unit=places_by_name[acc.unit].fed)
        admin = admin or (user if acc.username == "admin" else None)
        made += 1
    return admin, made


def table() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, who) for every demo account, as the command prints it."""
    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in ACCOUNTS])
             .prefetch_related("scopes__unit")}
    rows = []
    for acc in ACCOUNTS:
        user = users.get(acc.username)
        if user is None:
            continue
        scope = "全部（超级管理员）" if user.is_superuser else "、".join(s.unit.name for s in user.scopes.all())
        rows.append((acc.username, ROLES[acc.role][0], scope, f"{acc.note}（{user.first_name}）"))
    return rows
