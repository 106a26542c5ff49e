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
# The couples' fact sheets are embedded once into var/cache, so no app server in the tests pays for it.
.venv/bin/python -c "from trainer.engine.facts import build_fact_indexes; build_fact_indexes()" \
    || echo "fact sheets not embedded ahead; the first question to each couple will"
exec .venv/bin/python -m pytest "$@"
