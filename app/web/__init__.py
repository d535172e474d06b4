"""The web pages: server-rendered Jinja2 templates, a little JavaScript of our own, static files.

`mount_web(app)` adds the page routes (`/`, `/signin`, `/calendars`, `/solve`, `/conflicts`,
`/nations/{code}`) and the static files (`/static`). Pages read through the same services as
the API and declare the same access rules; their scripts call the JSON API with the session
cookie and the session's CSRF token.
"""

from app.web.router import mount_web

__all__ = ["mount_web"]
