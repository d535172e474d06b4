"""Who may do what: bearer tokens, roles, and the access rule every route declares."""

from app.auth.dependencies import PrincipalDep, current_principal
from app.auth.principal import SYSTEM, Principal, Role

__all__ = ["SYSTEM", "Principal", "PrincipalDep", "Role", "current_principal"]
