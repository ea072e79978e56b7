"""Search words that may hold a phone or ID number travel in a POST body, never in a URL.

A URL is copied into places the application does not control: the browser's history, the service
worker's cache on a shared phone, a forward or TLS-inspecting proxy's log, nginx's error log (which
prints the whole request line) and a Referer. The pickers therefore post what was typed (hx-post); a GET
that still carries seven or more digits is refused with 400 instead of being answered (and audited as a
search that already leaked)."""

from django.utils.translation import gettext_lazy

from .errors import ValidationFailed

MSG_NUMBER_IN_URL = gettext_lazy("电话号码或身份证号不能放在网址中查找，请在页面的搜索框中输入")
MIN_DIGITS = 7  # a landline without area code has 7; fewer digits identify no one


def carries_number(text: str) -> bool:
    """Seven or more digits: a phone, an ID number, or enough of one to narrow it down."""
    return sum(c.isdigit() for c in text or "") >= MIN_DIGITS


def refuse_number_in_url(words: str, field: str) -> str:
    """`words` as they came in a query string, refused (400 naming `field`) when they carry a number."""
    if carries_number(words):
        raise ValidationFailed(str(MSG_NUMBER_IN_URL), fields={field: str(MSG_NUMBER_IN_URL)})
    return words


def search_words(request, field: str, *, limit: int = 60) -> str:
    """A picker's search words: from the POST body the pages send, or from a GET without a number."""
    if request.method == "POST":
        return (request.POST.get(field) or "").strip()[:limit]
    return refuse_number_in_url((request.GET.get(field) or "").strip()[:limit], field)
