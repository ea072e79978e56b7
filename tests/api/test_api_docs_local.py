"""/api/docs renders Swagger UI from the project's own static files; the CSP allows them."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_the_docs_page_references_only_local_urls(db):
    # when
    response = Client().get("/api/docs")
    html = response.content.decode()
    # then every script, stylesheet and icon is a local static file that exists
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert response.status_code == 200
    assert sorted(urls) == ["/static/ninja/favicon.png", "/static/ninja/favicon.svg",
                            "/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js",
                            "/static/ninja/swagger-ui.css"]
    assert all(finders.find(u.removeprefix("/static/")) for u in urls)
    assert "cdn" not in html.lower() and "//" not in "".join(urls)


def test_the_content_security_policy_allows_the_local_swagger_assets_only(db):
    csp = Client().get("/api/docs")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
