"""The WSGI module loads the URL configuration (and the API's schemas) when imported, so gunicorn's preloaded
master forks workers that answer their first request at once (issue 16)."""

import os
import subprocess
import sys


def test_importing_the_wsgi_application_loads_the_urls_and_the_api():
    code = ("import sys, niangjia.wsgi; "
            "print('niangjia.urls' in sys.modules, 'niangjia.api' in sys.modules, 'niangjia.cases.api' in sys.modules)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "niangjia.settings"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "True", "True"]
