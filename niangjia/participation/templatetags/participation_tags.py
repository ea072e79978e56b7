from django import template

register = template.Library()


@register.filter
def rating_range(scale):
    """1..scale for drawing a rating question's buttons."""
    try:
        return range(1, int(scale) + 1)
    except (TypeError, ValueError):
        return range(1, 6)


@register.filter
def grouped_code(code):
    """K7PX3MQ9 → K7PX-3MQ9, easier to read out over the phone."""
    code = code or ""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
