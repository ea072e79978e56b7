"""The persons-import section of `niangjia bench` alone (niangjia/people/bench.py), printed as markdown:
`python -m bench.people_import DATABASE [ROWS ...]` (a database name on the DATABASE_URL server, or a URL;
it must hold a bench tree, e.g. made by `niangjia bench --units 20000 --facts 10000 --database NAME`)."""

import os
import sys


def main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
    django.setup()
    from django.conf import settings

    from niangjia.people import bench
    from niangjia.stats.management.commands.bench import bench_url, use_database

    use_database(bench_url(argv[0]))
    settings.DEBUG = False
    if len(argv) > 1:
        os.environ["NIANGJIA_BENCH_IMPORT_ROWS"] = ",".join(argv[1:])
    print("\n".join(bench.report([bench.measure_one(n, print) for n in bench.sizes()])))


if __name__ == "__main__":
    main(sys.argv[1:])
