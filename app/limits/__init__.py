"""Limits that keep the service up for everyone: a per-token rate limit on writes.

The other limits live where their data is: the request body's size in `app.middleware`, the
programme's size in `app.scenario.rules`, a solve's time limit and the solves per token in
`app.calendars.service`.
"""

from app.limits.rate import WRITE_METHODS, WriteRateLimit, token_key

__all__ = ["WRITE_METHODS", "WriteRateLimit", "token_key"]
