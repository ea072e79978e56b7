"""Fixtures the core tests borrow, by name, from the folders that own them: the parallel transitions
run one step of each pipeline (awards, cases, needs, selection), the file and no-store checks need a
field-work report and a person."""

from tests.awards.conftest import city, rnd, today  # noqa: F401
from tests.cases.conftest import staff  # noqa: F401
from tests.fieldwork.conftest import fw_people  # noqa: F401
from tests.needs.conftest import catalogue  # noqa: F401
from tests.people.conftest import folks  # noqa: F401
from tests.selection.conftest import sel  # noqa: F401
