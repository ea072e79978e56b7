from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ can|get_item:'people.view' }}: look up keys that contain dots."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def niangjia_version():
    """{% niangjia_version %}: the running version, for the page footer."""
    from niangjia import version

    return version()
