"""Writes of consultations, the suggestion box and activities: the only code that writes them.

Each group of use cases lives in its own module; this module is the one entry point views,
the API and other apps import (e.g. the WeChat helper calls `submit_suggestion`).
"""

from .activities import (  # noqa: F401 - re-exported entry points
    RATING_METRIC,
    REGISTRATION_METRIC,
    activities_close_due,
    activity_create,
    activity_update,
    attendance_mark,
    codesigner_add,
    codesigner_remove,
    rating_submit,
    register,
    registration_by_code,
    registration_cancel,
    registration_refusal,
)
from .consultations import (  # noqa: F401
    LINK_PURPOSE,
    RESPONSE_METRIC,
    answer_to_idea,
    answer_to_need,
    channel_refusal,
    consultation_create,
    consultation_publish,
    consultation_update,
    idea_add,
    issue_links,
    question_add,
    question_move,
    question_remove,
    question_update,
    response_correct,
    response_void,
    send_check_code,
    state_of,
    submit_response,
    verify_check_code,
)
from .suggestions import (  # noqa: F401
    SUGGESTION_METRIC,
    submit_suggestion,
    suggestion_by_code,
    suggestion_reply,
    suggestion_set_public,
    suggestion_to_need,
)
