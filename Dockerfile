# One image for ingest, projections and notify; the command picks the service (`coprod ingest`, …).
# Built from the repository root: `docker build -t coprod .`
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
# Dependencies first, from the lock file, so a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY shared shared
COPY services services
COPY coprod coprod
RUN uv sync --frozen --no-dev

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin coprod \
    && mkdir -p /data && chown coprod:coprod /data
USER coprod

ENV PATH=/app/.venv/bin:$PATH \
    COPROD_HOST=0.0.0.0 \
    COPROD_DATA_DIR=/data \
    COPROD_ENVIRONMENT=production

EXPOSE 8001 8002 8003
CMD ["coprod", "--help"]
