#!/usr/bin/env bash
# Set up (first time) and run the whole test suite: unit, app, PostgreSQL, browser, local LLM server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/ensure_chromium.sh
scripts/ensure_debian_packages.sh poppler-utils  # pdftoppm/pdftotext: the PDF test looks at a page
TEST_DATABASE_URL=$(scripts/ensure_postgres.sh)
export TEST_DATABASE_URL
if [ -x scripts/install_llm_server.sh ]; then
    scripts/install_llm_server.sh
fi
exec .venv/bin/python -m pytest "$@"
