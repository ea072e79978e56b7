"""Pages for women without an account (service orders, consultations, suggestions, nominations,
jury scoring): no login, a per-source rate limit, Chinese error pages, and tracking codes.

    @public_view(scope="needs.order", rate="20/h")          # POSTs limited per client IP
    def order(request): ...

Templates extend "public_base.html" (phone-first, no navigation). Retry safety comes from
core.idempotency.run_once with a key the form carries (see `form_key`).
"""

import secrets
import uuid
from functools import wraps

from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect

from . import ratelimit, together
from .errors import DomainError

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


def tracking_code(length: int = 8) -> str:
    """A random code such as "K7PX3MQ9" (32^8 ≈ 10^12 values); shown grouped as K7PX-3MQ9."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def form_key() -> str:
    """A fresh idempotency key for a form: rendered as a hidden field, reused by a retried POST."""
    return uuid.uuid4().hex


def public_view(*, scope: str, rate: str = "30/h", methods: tuple[str, ...] = ("POST",),
                counted_with_write: bool = False):
    """No login; `rate` hits per client IP for the listed methods; DomainError → public error page
    (or an inline alert for htmx), with the error's status.

    `counted_with_write`: on PostgreSQL the hit goes as `request.rate_hit` (core.ratelimit.Hit) to the view's
    one write, a core.together.Statement that counts it and writes nothing past the limit (one round trip
    for both); a request that reaches no such write (a form with errors) is counted after the view, and
    answered 429 past the limit as before. Such a view writes nothing else."""
    ratelimit.parse(rate)  # a bad rate fails at import, not on the first request

    def deco(fn):
        @wraps(fn)
        @csrf_protect
        def wrapper(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    return fn(request, *args, **kwargs)
                if not (counted_with_write and together.one_statement()):
                    ratelimit.check_request(request, scope, rate)
                    return fn(request, *args, **kwargs)
                request.rate_hit = hit = ratelimit.request_hit(request, scope, rate)
                try:
                    return fn(request, *args, **kwargs)
                finally:
                    hit.settle()  # unless the write counted it; past the limit 429 wins, as when counted first
            except DomainError as exc:
                if getattr(request, "htmx", False):
                    return render(request, "partials/_error_alert.html", {"message": exc.message},
                                  status=exc.status)
                return render(request, "public_error.html", {"message": exc.message}, status=exc.status)

        wrapper.public = True
        return wrapper

    return deco
