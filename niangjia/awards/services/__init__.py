"""Writes of award rounds: the only code that writes rounds, quotas, nominations, consent, the
shortlist, phases, objections and the final result (ballots: see evaluation.py).

Every function checks the permission, keeps the write inside the actor's reach, and audits in the
same transaction. Quotas are counted while the round's row is locked (select_for_update), so two
concurrent nominations cannot both take the last place.

One module a topic (base, rounds, nominations, objections); every write is re-exported here.
"""

from .base import (  # noqa: F401 - the app imports its writes from here
    CONSENT_PURPOSE,
    CONSENT_TTL,
    METRIC_NOMINATION,
    METRIC_OBJECTION,
    MSG_NO_CONSENT,
    ROUND_FIELDS,
    lock_round,
    nominating_unit,
    require_manager,
    today,
    user_of,
)
from .nominations import (  # noqa: F401 - the app imports its writes from here
    CONSENT_FIELDS,
    CONSENT_SCOPE,
    NOMINEE_LABELS,
    consent_by_link,
    consent_record_in_person,
    consent_send_link,
    nomination_create_org,
    nomination_create_public,
    nomination_withdraw,
)
from .objections import (  # noqa: F401 - the app imports its writes from here
    NOTICE_DUE_KIND,
    OBJECTION_ANSWERED,
    TRACK_PATH,
    notice_due_remind,
    objection_answer,
    objection_file,
)
from .rounds import (  # noqa: F401 - the app imports its writes from here
    phase_advance,
    quota_set,
    round_create,
    round_finalize,
    round_update,
    shortlist_set,
)
