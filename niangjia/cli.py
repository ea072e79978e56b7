"""The `niangjia` console script: Django's management commands under one name.

`niangjia demo`, `niangjia serve`, `niangjia bench`, `niangjia import`, `niangjia export`
are project commands; every Django command (migrate, createsuperuser, ...) works too.
`niangjia --version` prints the platform's version.
"""

import os
import sys

import django
from django.core.management import execute_from_command_line

from niangjia import version
from niangjia.core.periodic import JOBS, run_alone

ALIASES = {"serve": ["runserver"], "import": ["import_people"], "export": ["export_list"]}
ALIASES["import-accounts"] = ["import_accounts"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")

    args = sys.argv[1:]
    if args in (["--version"], ["version"]):
        print(version())
        return
    if args[:2] == ["tree", "import"]:
        args = ["tree_import", *args[2:]]
    elif args and args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]

    if args and args[0] in JOBS and "--help" not in args and "-h" not in args:
        _periodic(args)
        return
    execute_from_command_line(["niangjia", *args])


def _periodic(args: list[str]) -> None:
    """A periodic job runs only where no other run of it holds its lock (core.periodic): two machines' timers
    may fire at once; the second says so and exits 0."""
    django.setup()

    if not run_alone(args[0], lambda: execute_from_command_line(["niangjia", *args])):
        print(f"{args[0]}: 另一处正在运行，本次跳过 / already running elsewhere, skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
