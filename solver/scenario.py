"""The types of a `pfp-scenario/1` document and the rules a valid one keeps.

The field-level rules (types, ranges, defaults) live on the pydantic models; the rules that
span the document (unique ids, references that exist, windows inside the horizon, `after`
links without cycles, pins that fit) live in `scenario_problems`. `parse_scenario` runs both
and raises `ScenarioInvalid` listing every problem with a JSON pointer to the field.

The service reuses these types for its API schemas; nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

SCENARIO_FORMAT = "pfp-scenario/1"

ExerciseType = Literal["peacekeeping", "search_and_rescue", "humanitarian"]
EXERCISE_TYPES: tuple[ExerciseType, ...] = ("peacekeeping", "search_and_rescue", "humanitarian")
SiteKind = Literal["land", "maritime", "air", "mountain", "urban"]
NationRole = Literal["partner", "ally"]


def _iso_alpha2(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


NationCode = Annotated[
    str, Field(pattern=r"^[A-Z]{2}$", examples=["PL"]), AfterValidator(_iso_alpha2)
]
Identifier = Annotated[str, Field(min_length=1, max_length=100)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(_Model):
    """A span of whole days, both ends included."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def covers(self, other: Window) -> bool:
        return self.start <= other.start and other.end <= self.end


class GeoPoint(_Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Nation(_Model):
    code: NationCode
    name: Name
    role: NationRole = "partner"
    availability: list[Window] | None = None
    blackouts: list[Window] = Field(default_factory=list)
    max_exercises: int | None = Field(default=None, ge=0)
    budget_person_days: int | None = Field(default=None, ge=0)
    desired_exercises: int | None = Field(default=None, ge=0)

    @field_validator("blackouts", mode="before")
    @classmethod
    def _null_blackouts(cls, value: Any) -> Any:
        return [] if value is None else value


class Unit(_Model):
    id: Identifier
    nation: NationCode
    capability: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")]
    personnel: int = Field(ge=1)
    availability: list[Window] | None = None
    blackouts: list[Window] = Field(default_factory=list)
    max_exercises: int | None = Field(default=None, ge=0)
    rest_days: int = Field(default=0, ge=0)
    home: GeoPoint | None = None

    @field_validator("blackouts", mode="before")
    @classmethod
    def _null_blackouts(cls, value: Any) -> Any:
        return [] if value is None else value


class Site(_Model):
    id: Identifier
    name: Name
    host: NationCode
    kind: SiteKind = "land"
    supports: list[ExerciseType] | None = None
    availability: list[Window] | None = None
    capacity_personnel: int | None = Field(default=None, ge=1)
    concurrent: int = Field(default=1, ge=1)
    location: GeoPoint | None = None

    def supports_type(self, exercise_type: str) -> bool:
        return self.supports is None or exercise_type in self.supports


class Requirement(_Model):
    capability: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")]
    units: int = Field(ge=1)
    max_units: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _max_at_least_min(self) -> Requirement:
        if self.max_units is not None and self.max_units < self.units:
            raise ValueError(f"max_units {self.max_units} is below units {self.units}")
        return self

    @property
    def most(self) -> int:
        return self.units if self.max_units is None else self.max_units


class AfterLink(_Model):
    exercise: Identifier
    gap_days: int = Field(default=0, ge=0)


class Pin(_Model):
    start: dt.date | None = None
    site: Identifier | None = None
    units: list[Identifier] | None = None


class Exercise(_Model):
    id: Identifier
    name: Name
    type: ExerciseType
    duration_days: int = Field(ge=1)
    window: Window | None = None
    requirements: list[Requirement] = Field(min_length=1)
    min_nations: int = Field(default=1, ge=1)
    max_personnel: int | None = Field(default=None, ge=1)
    sites: list[Identifier] | None = None
    priority: int = Field(default=10, ge=1, le=100)
    mandatory: bool = False
    preferred_months: list[Annotated[int, Field(ge=1, le=12)]] | None = None
    after: list[AfterLink] = Field(default_factory=list)
    pinned: Pin | None = None

    @field_validator("after", mode="before")
    @classmethod
    def _null_after(cls, value: Any) -> Any:
        return [] if value is None else value


class Scenario(_Model):
    format: Literal["pfp-scenario/1"] = SCENARIO_FORMAT
    name: Name
    horizon: Window
    nations: list[Nation] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    exercises: list[Exercise] = Field(default_factory=list)

    def exercise_window(self, exercise: Exercise) -> Window:
        """The days an exercise may occupy: its window cut to the horizon."""
        if exercise.window is None:
            return self.horizon
        start = max(exercise.window.start, self.horizon.start)
        end = min(exercise.window.end, self.horizon.end)
        return Window.model_construct(start=start, end=end)

    def eligible_sites(self, exercise: Exercise) -> list[Site]:
        """The sites the spec allows: the listed ones, or every site supporting the type."""
        if exercise.sites is not None:
            wanted = set(exercise.sites)
            return [s for s in self.sites if s.id in wanted]
        return [s for s in self.sites if s.supports_type(exercise.type)]


# --- validation across the document -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScenarioProblem:
    """One thing wrong with a scenario: where (RFC 6901 pointer) and why, in plain words."""

    pointer: str
    reason: str
    code: str = "invalid"


class ScenarioInvalid(ValueError):
    """A scenario that breaks the contract; `problems` lists every reason found."""

    def __init__(self, problems: list[ScenarioProblem]):
        self.problems = problems
        lines = "; ".join(f"{p.pointer or '/'}: {p.reason}" for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"invalid scenario: {lines}{more}")


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def problems_from_validation_error(
    error: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[ScenarioProblem]:
    """Pydantic's errors as pointer + plain reason (the service and the CLI share this)."""
    out = []
    for item in error.errors(include_url=False):
        loc = tuple(
            p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        out.append(ScenarioProblem(pointer(*prefix, *loc), item["msg"], item["type"]))
    return out


def _duplicates(items: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, key in items:
        if key in seen:
            yield index, key
        seen.add(key)


def _windows_inside(
    windows: list[Window] | None, horizon: Window, *path: str | int
) -> Iterator[ScenarioProblem]:
    for k, w in enumerate(windows or []):
        if not horizon.covers(w):
            yield ScenarioProblem(
                pointer(*path, k),
                f"window {w.start}..{w.end} is not inside the horizon "
                f"{horizon.start}..{horizon.end}",
                "outside_horizon",
            )


def _after_cycles(exercises: list[Exercise]) -> Iterator[ScenarioProblem]:
    index = {e.id: i for i, e in enumerate(exercises)}
    graph = {e.id: [a.exercise for a in e.after if a.exercise in index] for e in exercises}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                cycle = path[path.index(child) :]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    ring = " -> ".join([*cycle, child])
                    yield ScenarioProblem(
                        pointer("exercises", index[node], "after"),
                        f"`after` links form a cycle: {ring}",
                        "after_cycle",
                    )
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph[child])))


def scenario_problems(scenario: Scenario) -> list[ScenarioProblem]:
    """Every rule of the contract that spans more than one field, as a list of problems."""
    out: list[ScenarioProblem] = []
    horizon = scenario.horizon
    nations = {n.code for n in scenario.nations}
    units = {u.id: u for u in scenario.units}
    sites = {s.id: s for s in scenario.sites}
    exercise_ids = {e.id for e in scenario.exercises}

    for key, items in (
        ("nations", [(i, n.code) for i, n in enumerate(scenario.nations)]),
        ("units", [(i, u.id) for i, u in enumerate(scenario.units)]),
        ("sites", [(i, s.id) for i, s in enumerate(scenario.sites)]),
        ("exercises", [(i, e.id) for i, e in enumerate(scenario.exercises)]),
    ):
        field = "code" if key == "nations" else "id"
        for i, value in _duplicates(items):
            out.append(
                ScenarioProblem(pointer(key, i, field), f"duplicate {field} {value!r}", "duplicate")
            )

    for i, n in enumerate(scenario.nations):
        out += _windows_inside(n.availability, horizon, "nations", i, "availability")
        out += _windows_inside(n.blackouts, horizon, "nations", i, "blackouts")
    for i, u in enumerate(scenario.units):
        if u.nation not in nations:
            out.append(
                ScenarioProblem(
                    pointer("units", i, "nation"), f"unknown nation {u.nation!r}", "unknown_ref"
                )
            )
        out += _windows_inside(u.availability, horizon, "units", i, "availability")
        out += _windows_inside(u.blackouts, horizon, "units", i, "blackouts")
    for i, s in enumerate(scenario.sites):
        if s.host not in nations:
            out.append(
                ScenarioProblem(
                    pointer("sites", i, "host"), f"unknown nation {s.host!r}", "unknown_ref"
                )
            )
        out += _windows_inside(s.availability, horizon, "sites", i, "availability")

    for i, e in enumerate(scenario.exercises):
        out += _exercise_problems(scenario, i, e, units, sites, exercise_ids)
    out += _after_cycles(scenario.exercises)
    return out


def _exercise_problems(
    scenario: Scenario,
    i: int,
    e: Exercise,
    units: dict[str, Unit],
    sites: dict[str, Site],
    exercise_ids: set[str],
) -> Iterator[ScenarioProblem]:
    horizon = scenario.horizon
    here = ("exercises", i)
    if e.window is not None and not horizon.covers(e.window):
        yield ScenarioProblem(
            pointer(*here, "window"),
            f"window {e.window.start}..{e.window.end} is not inside the horizon "
            f"{horizon.start}..{horizon.end}",
            "outside_horizon",
        )
    window = scenario.exercise_window(e)
    if window.start <= window.end and e.duration_days > window.days:
        yield ScenarioProblem(
            pointer(*here, "duration_days"),
            f"{e.duration_days} days do not fit in the window {window.start}..{window.end} "
            f"({window.days} days)",
            "duration_exceeds_window",
        )
    for j, _cap in _duplicates((j, r.capability) for j, r in enumerate(e.requirements)):
        yield ScenarioProblem(
            pointer(*here, "requirements", j, "capability"),
            f"capability {_cap!r} is listed twice",
            "duplicate",
        )
    for j, site_id in enumerate(e.sites or []):
        if site_id not in sites:
            yield ScenarioProblem(
                pointer(*here, "sites", j), f"unknown site {site_id!r}", "unknown_ref"
            )
    for j, month in _duplicates((j, str(m)) for j, m in enumerate(e.preferred_months or [])):
        yield ScenarioProblem(
            pointer(*here, "preferred_months", j), f"month {month} is listed twice", "duplicate"
        )
    for j, link in enumerate(e.after):
        if link.exercise == e.id:
            yield ScenarioProblem(
                pointer(*here, "after", j, "exercise"),
                "an exercise cannot come after itself",
                "after_cycle",
            )
        elif link.exercise not in exercise_ids:
            yield ScenarioProblem(
                pointer(*here, "after", j, "exercise"),
                f"unknown exercise {link.exercise!r}",
                "unknown_ref",
            )
    for j, _other in _duplicates((j, a.exercise) for j, a in enumerate(e.after)):
        yield ScenarioProblem(
            pointer(*here, "after", j, "exercise"), f"{_other!r} is listed twice", "duplicate"
        )
    if e.pinned is not None:
        yield from _pin_problems(scenario, here, e, units, sites, window)


def _pin_problems(
    scenario: Scenario,
    here: tuple[str, int],
    e: Exercise,
    units: dict[str, Unit],
    sites: dict[str, Site],
    window: Window,
) -> Iterator[ScenarioProblem]:
    pin = e.pinned
    assert pin is not None
    if pin.start is not None:
        last_start = window.end - dt.timedelta(days=e.duration_days - 1)
        if not (window.start <= pin.start <= last_start):
            yield ScenarioProblem(
                pointer(*here, "pinned", "start"),
                f"pinned start {pin.start} does not let {e.duration_days} days fit in the "
                f"window {window.start}..{window.end}",
                "pin_outside_window",
            )
    if pin.site is not None:
        if pin.site not in sites:
            yield ScenarioProblem(
                pointer(*here, "pinned", "site"), f"unknown site {pin.site!r}", "unknown_ref"
            )
        elif pin.site not in {s.id for s in scenario.eligible_sites(e)}:
            yield ScenarioProblem(
                pointer(*here, "pinned", "site"),
                f"site {pin.site!r} is not eligible for {e.type} exercise {e.id!r}",
                "pin_ineligible_site",
            )
    capabilities = {r.capability for r in e.requirements}
    for j, unit_id in enumerate(pin.units or []):
        unit = units.get(unit_id)
        if unit is None:
            yield ScenarioProblem(
                pointer(*here, "pinned", "units", j), f"unknown unit {unit_id!r}", "unknown_ref"
            )
        elif unit.capability not in capabilities:
            yield ScenarioProblem(
                pointer(*here, "pinned", "units", j),
                f"unit {unit_id!r} is a {unit.capability}, which {e.id!r} does not require",
                "pin_ineligible_unit",
            )
    for j, unit_id in _duplicates(enumerate(pin.units or [])):
        yield ScenarioProblem(
            pointer(*here, "pinned", "units", j), f"unit {unit_id!r} is listed twice", "duplicate"
        )


def parse_scenario(data: Any) -> Scenario:
    """Validate a decoded JSON document as a scenario, or raise `ScenarioInvalid`."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioInvalid(problems_from_validation_error(error)) from None
    problems = scenario_problems(scenario)
    if problems:
        raise ScenarioInvalid(problems)
    return scenario


def parse_scenario_json(text: str | bytes) -> Scenario:
    """Validate a JSON text as a scenario, or raise `ScenarioInvalid`."""
    try:
        scenario = Scenario.model_validate_json(text)
    except ValidationError as error:
        raise ScenarioInvalid(problems_from_validation_error(error)) from None
    problems = scenario_problems(scenario)
    if problems:
        raise ScenarioInvalid(problems)
    return scenario
