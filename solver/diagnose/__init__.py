"""Data conflicts: what is already wrong in a scenario, seen without solving.

`data_conflicts(scenario)` runs every check below and returns `DataConflict`s, each with a
stable `code`, a `severity` ("error": no calendar can do what the data asks; "warning": the
data is suspicious), a plain-words `message` and the ids it refers to. It never solves:
availability is precomputed once as lists of day spans (offsets from the horizon start), so
a whole programme of hundreds of units is checked in well under a second.

A unit *counts* for an exercise when it has a required capability, is available on every
day of some start in the exercise's window (unit and nation availability minus blackouts),
and nothing else rules it out on its own (its or its nation's `max_exercises` of 0, a nation
budget below its person-days, personnel above the exercise's `max_personnel`). A pinned
start narrows the window to that start; a pinned site narrows the sites to that site.
"""

from solver.diagnose.conflict import CONFLICT_CODES, DataConflict, Severity
from solver.diagnose.programme import data_conflicts

__all__ = ["CONFLICT_CODES", "DataConflict", "Severity", "data_conflicts"]
