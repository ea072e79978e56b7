"""Fixtures the browser tests borrow, by name, from the folder that owns them: the duty checklists (with
their media in a temporary folder)."""

from tests.duties.conftest import duty, media_in_tmp, today  # noqa: F401
