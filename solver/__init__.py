"""pfp-scheduler's solver: a pure library, scenario in, calendar out.

It imports nothing from the service (`app`), FastAPI or SQLAlchemy.
"""

from solver.calendar import (
    CALENDAR_FORMAT,
    Bound,
    Calendar,
    CalendarStatus,
    Kpi,
    Reason,
    ScheduledExercise,
    SolveStats,
    UnscheduledExercise,
)
from solver.check import CheckResult, Violation, check_calendar, exercise_spread, travel_km
from solver.diagnose import CONFLICT_CODES, DataConflict, data_conflicts
from solver.diff import CalendarDiff, diff_calendars
from solver.explain import (
    ExplainParams,
    Explanation,
    SoftConflict,
    Suggestion,
    explain,
    soft_conflicts,
)
from solver.generate import generate
from solver.scenario import (
    EXERCISE_TYPES,
    SCENARIO_FORMAT,
    AfterLink,
    Exercise,
    GeoPoint,
    Nation,
    Pin,
    Requirement,
    Scenario,
    ScenarioInvalid,
    ScenarioProblem,
    Site,
    Unit,
    Window,
    parse_scenario,
    parse_scenario_json,
    problems_from_validation_error,
    scenario_problems,
)
from solver.solve import Progress, SolveParams, solve

__all__ = [
    "CALENDAR_FORMAT",
    "CONFLICT_CODES",
    "EXERCISE_TYPES",
    "SCENARIO_FORMAT",
    "AfterLink",
    "Bound",
    "Calendar",
    "CalendarDiff",
    "CalendarStatus",
    "CheckResult",
    "DataConflict",
    "Exercise",
    "ExplainParams",
    "Explanation",
    "GeoPoint",
    "Kpi",
    "Nation",
    "Pin",
    "Progress",
    "Reason",
    "Requirement",
    "Scenario",
    "ScenarioInvalid",
    "ScenarioProblem",
    "ScheduledExercise",
    "SoftConflict",
    "Site",
    "SolveParams",
    "SolveStats",
    "Suggestion",
    "Unit",
    "UnscheduledExercise",
    "Violation",
    "Window",
    "check_calendar",
    "exercise_spread",
    "data_conflicts",
    "explain",
    "diff_calendars",
    "generate",
    "parse_scenario",
    "parse_scenario_json",
    "problems_from_validation_error",
    "scenario_problems",
    "soft_conflicts",
    "solve",
    "travel_km",
]
