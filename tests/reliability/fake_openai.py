"""A small, real OpenAI-compatible HTTP server on loopback that misbehaves on request.

Not a mock: the product talks to it through ChatOpenAI/httpx exactly as it
would to llama.cpp or OpenAI. `mode` (changeable while running) picks the
behaviour of the next request:

ok        answers at once (streamed word by word when asked to stream)
slow      streams a word every `word_delay` seconds
hang      accepts the request and never answers
trickle   starts a stream, then sends one word every `trickle_every` seconds, for ever
429, 500  an HTTP error with an OpenAI-style error body
malformed 200 with a body that is not what the protocol says
break     12 good words, then the speaker breaks character
cut       half the reply, then the connection is dropped mid-chunk
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

WHO = re.compile(r"Who speaks now, in this order: (.+?)\.\n")
GOOD = ("I just want us to stop going around in circles every single night, "
        "honestly, it wears me out.")
OUT_OF_CHARACTER = " As an AI language model I should point out the rubric here."


class FakeOpenAI:
    """`with FakeOpenAI("slow") as fake: ... fake.url ...`"""

    def __init__(self, mode: str = "ok", *, word_delay: float = 0.25,
                 trickle_every: float = 4.0) -> None:
        self.mode = mode
        self.word_delay = word_delay
        self.trickle_every = trickle_every
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def reply_for(self, body: dict[str, Any]) -> str:
        """A well-formed couple reply for whoever the prompt asks to speak (never the same twice)."""
        prompt = " ".join(str(m.get("content", "")) for m in body.get("messages", [])[-1:])
        found = WHO.search(prompt)
        names = found.group(1).split(", then ") if found else ["Marc"]
        count = len(self.requests)
        return "\n".join(f"{name}: [sighs] {GOOD} It has been {count} weeks like this."
                         for name in names)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: object) -> None:  # quiet
        return

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self._json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.fake.requests.append(body)
        mode, stream = self.fake.mode, bool(body.get("stream"))
        if mode == "hang":
            self.fake.stopping.wait(600)
            self.close_connection = True
            return
        if mode in ("429", "500"):
            kind = "rate_limit_exceeded" if mode == "429" else "server_error"
            self._json(int(mode), {"error": {"message": f"fake {kind}", "type": kind, "code": kind}})
            return
        if mode == "malformed":
            self._raw(200, b"data: {this is not json\n\n" if stream else b"<html>oops</html>",
                      "text/event-stream" if stream else "application/json")
            return
        text = self.fake.reply_for(body)
        if not stream:
            self._json(200, _completion(text))
            return
        self._stream(text, mode)

    # ------------------------------------------------------------------ writing

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._raw(status, json.dumps(data).encode(), "application/json")

    def _raw(self, status: int, payload: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, content: str | None, finish: str | None = None) -> None:
        delta = {"content": content} if content is not None else {}
        event = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                 "model": "fake", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        self._chunk(f"data: {json.dumps(event)}\n\n".encode())

    def _stream(self, text: str, mode: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        words = re.findall(r"\S+\s*", text)
        try:
            if mode == "trickle":
                self._event(words[0])
                while not self.fake.stopping.wait(self.fake.trickle_every):
                    self._event("and ")
                return
            if mode == "break":
                words = words[:14] + re.findall(r"\S+\s*", OUT_OF_CHARACTER) + words[14:]
            if mode == "cut":
                for word in words[: len(words) // 2]:
                    self._event(word)
                    time.sleep(0.02)
                self.wfile.write(b"400\r\ndata: {\"trunc")  # a chunk that never ends
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            delay = self.fake.word_delay if mode == "slow" else 0.005
            for word in words:
                self._event(word)
                time.sleep(delay)
            self._event(None, "stop")
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True  # the client hung up (deadline, page closed): fine


def _completion(text: str) -> dict[str, Any]:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}}
