"""Fixtures the front-line tests borrow, by name, from the folders that own them: the duty checklists
(with their media in a temporary folder) and the case staff."""

from tests.cases.conftest import staff  # noqa: F401
from tests.duties.conftest import duty, media_in_tmp, today  # noqa: F401
