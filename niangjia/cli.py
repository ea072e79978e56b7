"""The `niangjia` console script: Django's management commands under one name.

`niangjia demo`, `niangjia serve`, `niangjia bench`, `niangjia import`, `niangjia export`
are project commands; every Django command (migrate, createsuperuser, ...) works too.
`niangjia --version` prints the platform's version.
"""

import os
import sys

ALIASES = {"serve": ["runserver"], "import": ["import_people"], "export": ["export_list"]}
ALIASES["import-accounts"] = ["import_accounts"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args in (["--version"], ["version"]):
        from niangjia import version

        print(version())
        return
    if args[:2] == ["tree", "import"]:
        args = ["tree_import", *args[2:]]
    elif args and args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
    execute_from_command_line(["niangjia", *args])


if __name__ == "__main__":
    main()
