"""The audit trail: one event per write, recorded in the write's own transaction."""

from app.audit.service import record, unit_nation, wire

__all__ = ["record", "unit_nation", "wire"]
