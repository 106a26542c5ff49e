#!/usr/bin/env bash
# Set up (first time) and start the app on the offline engine: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/streamlit run streamlit_app.py --server.headless true "$@"
