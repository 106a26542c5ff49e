#!/usr/bin/env bash
# Find a PostgreSQL server for the tests, or start one from Debian's packages.
# Prints the SQLAlchemy URL to use on stdout.
set -euo pipefail
host=${PGHOST_FOR_TESTS:-127.0.0.1}
port=${PGPORT_FOR_TESTS:-5432}
url=${TEST_DATABASE_URL:-postgresql+psycopg://postgres@${host}:${port}/test}
ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v pg_isready >/dev/null 2>&1; then
    echo "==> installing PostgreSQL from Debian's packages" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
if ! ready; then
    echo "==> starting the local PostgreSQL cluster" >&2
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$version" ]; then
        $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    fi
    for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
    echo "PostgreSQL is not reachable at $host:$port; set TEST_DATABASE_URL to a server you can use." >&2
    exit 1
fi
# Make sure the test database exists (trust auth on loopback, as Debian's default for local users).
dbname=${url##*/}
dbname=${dbname%%\?*}
if ! psql -h "$host" -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$dbname'" 2>/dev/null | grep -q 1; then
    psql -h "$host" -p "$port" -U postgres -d postgres -c "CREATE DATABASE \"$dbname\"" >&2 || \
        $SUDO -u postgres psql -c "CREATE DATABASE \"$dbname\"" >&2 || true
fi
echo "$url"
