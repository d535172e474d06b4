"""The benchmark's baseline for the cost of authentication and audit (bench only: the product
has no switch to turn either off).

`create_app()` is the service's own app, built the same way from the same settings, with two
changes: `current_principal` is overridden to return one fixed admin principal (no token is
read, looked up or touched), and the audit trail's `record` function is a no-op wherever a
module of `app` holds it. Whatever else is on main (the access rules, the rate limit, the
security headers) runs in both.
"""

from __future__ import annotations

import sys
from typing import Any

from fastapi import FastAPI

from app.auth import Principal, Role, current_principal
from app.main import create_app as create_service

ADMIN = Principal(token_id="tok_bench", name="benchmark baseline", role=Role.admin)


def _fixed_admin() -> Principal:
    return ADMIN


def _no_audit(*_: Any, **__: Any) -> None:
    return None


def silence_audit() -> int:
    """Make the audit trail's `record` a no-op in every module that holds it; how many did."""
    try:
        from app.audit import service as audit_service
    except ImportError:  # no audit trail on this commit: nothing to switch off
        return 0
    original = audit_service.record
    patched = 0
    for name, module in list(sys.modules.items()):
        if not (name == "app" or name.startswith("app.")) or module is None:
            continue
        for attribute, value in list(vars(module).items()):
            if value is original:
                setattr(module, attribute, _no_audit)
                patched += 1
    return patched


def create_app() -> FastAPI:
    app = create_service()
    app.dependency_overrides[current_principal] = _fixed_admin
    app.state.bench_audit_patched = silence_audit()
    return app


__all__ = ["ADMIN", "create_app", "silence_audit"]
