FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=cerdd_cycle.settings.prod

# WeasyPrint needs Pango and fonts; nothing else is fetched at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      libpq5 postgresql-client fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
RUN SECRET_KEY=construction ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
 && useradd --create-home --uid 1000 cerdd \
 && mkdir -p /app/var /data/media /data/prive && chown -R cerdd /app/var /data

USER cerdd
EXPOSE 8000
CMD ["gunicorn", "cerdd_cycle.wsgi", "--bind", "0.0.0.0:8000", "--workers", "5", "--access-logfile", "-"]
