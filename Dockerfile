# syntax=docker/dockerfile:1
# pfp-scheduler: the same steps as the README's `make run`, in a slim image.

FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY app ./app
COPY solver ./solver
RUN /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PFP_HOST=0.0.0.0 \
    PFP_PORT=8000 \
    PFP_DATABASE_URL=sqlite:////var/lib/pfp/pfp.db
RUN groupadd --system --gid 10001 pfp && useradd --system --uid 10001 --gid pfp --home-dir /var/lib/pfp pfp \
    && mkdir -p /var/lib/pfp && chown pfp:pfp /var/lib/pfp
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /var/lib/pfp
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PFP_PORT', '8000'), timeout=2)"]
CMD ["pfp-scheduler", "serve"]
