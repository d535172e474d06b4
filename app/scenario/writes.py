"""The checks every write of one nation, unit, site or exercise goes through, written once.

Create: storable values, the programme's lock, not there yet (409), room under the programme's
size limit (422), the whole contract.
Replace: storable values, the programme's lock (and the row's, where given), the body's key
matching the path's (422), the stored record (404), the whole contract.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.errors import Conflict, ErrorDetail, InvalidInput
from app.scenario import repository as scenario_repository
from app.scenario import rules
from app.scenario import service as scenario_service

Collection = Literal["nations", "units", "sites", "exercises"]
RecordT = TypeVar("RecordT")

_NOUN = {"nations": "nation", "units": "unit", "sites": "site", "exercises": "exercise"}


def _key_field(collection: Collection) -> str:
    return "code" if collection == "nations" else "id"


def check_create(
    *,
    session: Session,
    collection: Collection,
    item: BaseModel,
    find: Callable[[Session, str], object | None],
) -> None:
    """Raise unless `item` may be added to the stored programme as it is."""
    field = _key_field(collection)
    key = getattr(item, field)
    noun = _NOUN[collection]
    rules.check_storable_item(collection=collection, item=item)
    scenario_repository.lock_programme(session)
    if find(session, key) is not None:
        raise Conflict(
            f"{noun} {key!r} already exists; PUT /api/v1/{collection}/{key} replaces it",
            errors=[ErrorDetail(f"{noun} {key!r} already exists", pointer=f"/{field}")],
        )
    scenario = scenario_service.load_scenario(session=session)
    rules.check_room_for_one(
        session, collection=collection, stored=len(getattr(scenario, collection))
    )
    rules.check_write(scenario=scenario, collection=collection, item=item, replaces=None)


def check_replace(
    *,
    session: Session,
    collection: Collection,
    path_key: str,
    item: BaseModel,
    get_record: Callable[[], RecordT],
    lock: Callable[[Session, str], object] | None = None,
) -> RecordT:
    """The stored record `item` may replace, or raise; the record is not changed yet."""
    field = _key_field(collection)
    key = getattr(item, field)
    rules.check_storable_item(collection=collection, item=item)
    scenario_repository.lock_programme(session)
    if lock is not None:
        lock(session, path_key)
    if key != path_key:
        raise InvalidInput(
            f"the body's {field} {key!r} differs from the path's {path_key!r}",
            errors=[ErrorDetail(f"must be {path_key!r}, as in the path", pointer=f"/{field}")],
        )
    record = get_record()
    scenario = scenario_service.load_scenario(session=session)
    rules.check_write(scenario=scenario, collection=collection, item=item, replaces=path_key)
    return record
