"""The solver is a pure library: importing it pulls in nothing of the service."""

from __future__ import annotations

import subprocess
import sys


def test_solver_imports_nothing_of_the_service() -> None:
    code = (
        "import sys, solver\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'app', 'fastapi', 'sqlalchemy', 'starlette', 'alembic', 'uvicorn'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
