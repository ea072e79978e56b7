"""Query parameters an operation does not know are refused, for every operation at once.

A filter the server silently ignores (`?has_hotline=true` on a list that has no such filter) answers
the whole list and lets a caller believe it was filtered. So every API operation answers 400 naming
the parameters it does not take. The known names come from the operation's own query schema (the
same names the OpenAPI document lists), so the check can never disagree with the contract.
"""

from django.utils.translation import gettext as _

from .errors import ValidationFailed


def query_names(operation) -> frozenset[str]:
    """The query parameter names an operation takes (flattened, as OpenAPI documents them)."""
    names: set[str] = set()
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) != "query":
            continue
        flat = getattr(model, "__ninja_flatten_map__", None)
        if flat:
            names.update(flat)
        else:
            names.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(names)


def refuse_unknown_query(operation) -> None:
    """Wrap one operation's parameter parsing so an unknown query parameter answers 400 naming it."""
    known = query_names(operation)
    parse = operation._get_values

    def checked_values(request, path_params, temporal_response):
        unknown = sorted(name[:40] for name in set(request.GET) - known)
        if unknown:
            allowed = "、".join(sorted(known)) or _("无")
            raise ValidationFailed(
                _("不支持的查询参数：{value}（可用：{allowed}） / unknown query parameter(s): {v2}").format(value='、'.join(unknown), allowed=allowed, v2=', '.join(unknown)),
                fields={name: _("不支持的查询参数 / unknown parameter") for name in unknown},
            )
        return parse(request, path_params, temporal_response)

    operation._get_values = checked_values


def guard_api(api) -> None:
    """Apply the query-parameter check to every operation mounted on `api` (call once, after mounting)."""
    for router in api._get_bound_routers():  # the mounted copies, the ones that answer requests
        for view in router.path_operations.values():
            for operation in view.operations:
                if not getattr(operation, "_query_guarded", False):
                    refuse_unknown_query(operation)
                    operation._query_guarded = True
