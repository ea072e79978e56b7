"""The woman behind a case: found by ID number or phone (blind index), or added through the people app.

De-duplication uses the people app's blind indexes, as its duplicate finder does: the same ID
number or the same phone (E.164) inside the actor's reach is the same woman. A woman first known
through her complaint is added as a case party (`Person.case_party`): people lists, pickers,
searches, exports and reveals leave her out for everyone but the admin and those on one of her
cases (people.queries.persons_visible_to, fed by cases.queries.case_parties_known_to). A woman
already in the register stays as she is; the case links to her and nothing on her person record
shows the case.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, sensitive
from niangjia.core.access import scoped
from niangjia.core.errors import ValidationFailed
from niangjia.core.validation import require_text
from niangjia.core.validators import id_number_problem, normalize_id_number, normalize_phone, phone_problem
from niangjia.people import services as people
from niangjia.people.models import Person

MSG_NAME = gettext_lazy("求助人姓名不能为空（不愿透露可填“匿名”）")


def phone_value(raw: str) -> str:
    """A phone in E.164, '' when none; a malformed one is refused naming the field."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    problem = phone_problem(raw)
    if problem:
        raise ValidationFailed(problem, fields={"phone": problem})
    return normalize_phone(raw)


def find(actor, *, phone: str = "", id_number: str = "") -> Person | None:
    """An active person in reach with the same valid ID number or phone (ID first)."""
    keys = Q()
    id_number = normalize_id_number(id_number)
    id_number = id_number if id_number and not id_number_problem(id_number) else ""
    if id_number:
        keys |= Q(id_number_bidx=sensitive.blind_index(id_number))
    phone = phone_value(phone)
    if phone:
        keys |= Q(phone_bidx=sensitive.blind_index(phone))
    if not keys:
        return None
    # case parties too: the same woman coming back is one person, whoever took her first complaint
    matches = list(scoped(Person.objects.filter(keys, is_active=True), actor).order_by("id")[:5])
    for kind, value in (("id_number", id_number), ("phone", phone)):
        if value:  # a look-up of a woman by her number is a sensitive read: audited, by blind index only
            audit.searched(actor, kind, sensitive.blind_index(value), where="cases.intake", found=len(matches))
    by_id = [p for p in matches if id_number and p.id_number_bidx == sensitive.blind_index(id_number)]
    return (by_id or matches or [None])[0]


def find_or_create(*, actor, unit, name: str, phone: str = "", id_number: str = "", address: str = "") -> Person:
    """The existing woman, or a new person under `unit`; an ID failing its checksum is not copied to
    her person record (the people app refuses it) but stays sealed on the case with a warning."""
    existing = find(actor, phone=phone, id_number=id_number)
    if existing is not None:
        return existing
    name = require_text(name, "name", _("求助人姓名")) if (name or "").strip() else ""
    if not name:
        raise ValidationFailed(MSG_NAME, fields={"name": MSG_NAME})
    valid_id = normalize_id_number(id_number) if id_number and not id_number_problem(id_number) else ""
    return people.person_create(actor=actor, unit=unit, name=name[:50], phone=phone_value(phone), id_number=valid_id,
                                address=(address or "").strip(), case_party=True)
