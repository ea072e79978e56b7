"""Reading an answer sheet from a form post (public page and paper entry share it)."""


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return raw if raw not in (None, "") else None


def parse_sheet(questions, data) -> dict[int, object]:
    """{question id: value} from POST data named q<id>; bad numbers stay as text so the rules
    report them instead of the form silently dropping them."""
    values: dict[int, object] = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == "single":
            raw = data.get(name)
            values[q.pk] = [] if raw in (None, "") else [_int(raw)]
        elif q.kind == "multiple":
            values[q.pk] = [_int(v) for v in data.getlist(name) if v != ""]
        elif q.kind == "rating":
            values[q.pk] = _int(data.get(name))
        else:
            values[q.pk] = (data.get(name) or "").strip()
    return values


def field_errors(exc) -> dict[int, str]:
    """The sheet's problems keyed by question id (from ValidationFailed fields q<id>)."""
    out = {}
    for key, msg in (exc.fields or {}).items():
        if key.startswith("q") and key[1:].isdigit():
            out[int(key[1:])] = msg
    return out
