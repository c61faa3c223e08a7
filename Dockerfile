# kycsim: both providers on one port, the control API under /_sim/.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KYCSIM_HOST=0.0.0.0 \
    KYCSIM_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY simulator ./simulator
COPY docs ./docs
# /data is the state's place: a volume the kycsim user can write. It is also the working folder, so
# a relative store (sqlite:///kycsim.db) lands there too; KYCSIM_STORE=sqlite:////data/kycsim.db
# says it in full.
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 kycsim \
    && mkdir /data && chown kycsim /data

USER kycsim
WORKDIR /data
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD python -c "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/_sim/health' % os.environ.get('KYCSIM_PORT', '8000'), timeout=2).status == 200 else 1)"
CMD ["kycsim", "serve", "--host", "0.0.0.0"]
