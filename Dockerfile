# syntax=docker/dockerfile:1

# ---- builder: compilers and pip, thrown away after the venv is built -------------------
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc g++ libc6-dev \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# The CPU build first: sentence-transformers then finds torch installed, and pip never
# pulls the multi-GB CUDA build from PyPI.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /src

# Dependencies in their own layer, keyed on pyproject.toml alone: installing a stub
# package pulls them in, so a source-only change rebuilds just the last step.
COPY pyproject.toml LICENSE NOTICE ./
RUN mkdir careergini \
    && touch careergini/__init__.py \
    && pip install . \
    && pip uninstall -y careergini \
    && rm -rf careergini build ./*.egg-info

COPY careergini ./careergini
RUN pip install --no-deps .

# ---- runtime -----------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# WeasyPrint's libraries, fonts for Latin and CJK resumes, curl for the healthcheck,
# postgresql-client (pg_dump/pg_restore 15, as the compose file's postgres:15) for
# `careergini backup` / `restore`, and Debian's Chromium, which Playwright drives to render
# career pages that build their job postings with JavaScript, as the embedded install does.
# Chromium is the image's largest part: with the libraries it brings, about 200 MB to
# download and 680 MB on disk (bookworm's package sizes, 152 packages beyond the rest).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        postgresql-client \
        chromium \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        fonts-liberation2 \
        fonts-noto-cjk \
        curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 careergini \
    && useradd --system --uid 10001 --gid careergini --home-dir /app/var \
        --shell /usr/sbin/nologin careergini

# HF_HUB_OFFLINE: the embedding model ships inside a Python package; nothing is fetched
# from a model hub at run time. Caches (fontconfig, Hugging Face) live in the data volume.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CAREERGINI_DATA_DIR=/app/var \
    CAREERGINI_MODELS_FILE=/app/models/models.yaml \
    CAREERGINI_JOBS_BROWSER_PATH=/usr/bin/chromium \
    XDG_CACHE_HOME=/app/var/cache \
    HF_HOME=/app/var/cache/huggingface \
    HF_HUB_OFFLINE=1

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations
# The browser clipper, offered as a ZIP at /clipper.
COPY extension ./extension
COPY models ./models
COPY Modelfile ./Modelfile
RUN mkdir -p /app/var/cache && chown -R careergini:careergini /app/var

# Migrations run here, before the server starts (hence `serve --no-migrate` below); any
# other command (a shell, a one-off CLI call through `docker compose run app ...`) runs as
# given.
COPY --chmod=0755 <<'EOF' /usr/local/bin/careergini-entrypoint
#!/bin/sh
set -eu
if [ "${1:-}" = "careergini" ] && [ "${2:-}" = "serve" ]; then
    careergini db upgrade
fi
exec "$@"
EOF

USER careergini
VOLUME ["/app/var"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=5 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/api/health/ready"]

ENTRYPOINT ["careergini-entrypoint"]
CMD ["careergini", "serve", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--no-migrate"]
