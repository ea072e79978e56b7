from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from niangjia import version
from niangjia.core.access import may
from niangjia.core.forms import naming_the_field
from niangjia.core.pipeline import REGISTRY as PIPELINES

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ can|get_item:'people.view' }}: look up keys that contain dots."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter(name="can")
def can_filter(user, action: str) -> bool:
    """{% if user|can:'cases.handle' %}: what the user's roles let her do (no record in view)."""
    return may(user, action)


@register.simple_tag(name="can")
def can_tag(user, action: str, obj=None) -> bool:
    """{% can user 'fieldwork.edit' diary as may_edit %}: what the user may do with this record (the role,
    her reach, and the owning app's rule registered with core.access.register_may)."""
    return may(user, action, obj)


@register.simple_tag(name="steps")
def steps_tag(user, pipeline: str, obj) -> dict:
    """{% steps user 'needs.need' need as steps %}{% if steps.close %}: the steps of that pipeline she may take
    on this record now, by name (core.pipeline's step table: status, permission and guard; never a view's map)."""
    return {s.name: s for s in PIPELINES[pipeline].allowed(user, obj)}


@register.filter
def field_error(message, label):
    """{{ e|field_error:field.label }}: an error under its field, naming the field unless it already does."""
    return naming_the_field(label, message)


@register.simple_tag
def niangjia_version():
    """{% niangjia_version %}: the running version, for the page footer."""
    return version()


@register.filter
def num(value):
    """{{ n|num }}: a figure with thousands separators (12,345; 1,234.5); anything else as it is."""
    if isinstance(value, bool) or value is None or value == "":
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.1f}".replace(".0", "") if float(value) == int(value) else f"{value:,.1f}"
    return value


@register.filter
def qr_svg(text: str, scale: int = 5):
    """{{ link|qr_svg }}: the link as an inline SVG QR code (segno), so a one-time link never leaves the page."""
    # segno: optional and heavy, loaded only when this runs
    import segno

    if not text:
        return ""
    return mark_safe(segno.make(str(text), error="m").svg_inline(scale=int(scale), border=2, dark="#222"))


@register.simple_tag
def colon():
    """{% colon %} after a label: the full-width ： in Chinese, ": " in other languages."""
    return "：" if get_language().startswith("zh") else ": "
