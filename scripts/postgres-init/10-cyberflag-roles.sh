#!/usr/bin/env bash
# Run once by the postgres image on a new data volume (docker-entrypoint-initdb.d), as POSTGRES_USER (the schema
# owner): the app's privileges role and its own unprivileged login role (README "A real PostgreSQL server").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE cyberflag_app NOLOGIN;
CREATE ROLE cyberflag_app_login LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT;
GRANT cyberflag_app TO cyberflag_app_login;
SQL
