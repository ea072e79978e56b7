"""Turn model validation into one ValidationFailed naming every bad field in Chinese."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import ValidationFailed


def full_clean_or_raise(obj, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        raise from_django(exc, obj) from exc


def from_django(exc: ValidationError, obj=None) -> ValidationFailed:
    fields: dict[str, str] = {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            fields[name] = "；".join(str(m) for e in errors for m in e.messages)
    else:
        fields["__all__"] = "；".join(exc.messages)
    labels = []
    for name, msg in fields.items():
        label = name
        if obj is not None and name != "__all__":
            try:
                label = str(obj._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - a non-field key keeps its own name
                label = name
        labels.append(f"{label}：{msg}" if name != "__all__" else msg)
    return ValidationFailed("；".join(labels), fields=fields)


def require_text(value, field: str, label: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        raise ValidationFailed(_("{label}不能为空").format(label=label), fields={field: _("{label}不能为空").format(label=label)})
    return value
