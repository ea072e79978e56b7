"""Writes of consultations, the suggestion box and activities: the only code that writes them.

Each use case lives in its own module; this module is the one entry point other apps import
(e.g. the WeChat helper calls `submit_suggestion`).
"""

from .suggestion_services import (  # noqa: F401 - re-exported entry points
    SUGGESTION_METRIC,
    submit_suggestion,
    suggestion_by_code,
    suggestion_reply,
    suggestion_set_public,
)
