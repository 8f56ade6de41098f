#!/bin/sh
# First start of a demo PostgreSQL only (docker-entrypoint-initdb.d of the postgres image),
# used by docker-compose.yml and by the Kubernetes dev overlay: one database and one login
# role per service that owns SQL data (roles, primaweb), each owner of its own database and
# not allowed into the other's. The passwords are read from files (compose secrets, a
# Kubernetes Secret volume) under /run/secrets; none is ever written here.
set -eu
for service in roles primaweb; do
  password_file="/run/secrets/${service}-db-password"
  if [ ! -s "$password_file" ]; then
    echo "initdb: missing $password_file (see deploy/README.md, secrets)" >&2
    exit 1
  fi
  password=$(cat "$password_file")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=svc="$service" --set=pw="$password" <<'SQL'
CREATE ROLE :"svc" LOGIN PASSWORD :'pw';
CREATE DATABASE :"svc" OWNER :"svc";
REVOKE ALL ON DATABASE :"svc" FROM PUBLIC;
SQL
done
