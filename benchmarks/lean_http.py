"""A small asyncio HTTP/1.1 client with keep-alive, for the load benchmark.

The load client shares the benchmark machine's two cores with the server and PostgreSQL, so
its own CPU is part of what is measured. httpx spent about 2.5 ms of CPU per request here
(its request and response models, cookie jar and header handling), about a fifth of the
whole mix's CPU. This client sends the same requests over one persistent connection per
client, like httpx's pool does, and reads the whole response (status, headers and body,
Content-Length or chunked) before a request counts as answered. It is not a general client:
plain HTTP to one loopback host, no redirects, no cookies, no TLS.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson


class Answer:
    __slots__ = ("body", "headers", "status_code")

    def __init__(self, status_code: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class LeanClient:
    """One keep-alive connection to ``base`` (``http://host:port``); requests in sequence."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> LeanClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        if params:
            path = f"{path}?{urlencode(params)}"
        body = b""
        content_type = None
        if json is not None:
            body, content_type = orjson.dumps(json), "application/json"
        elif files is not None:
            body, content_type = multipart(data or {}, files)
        elif data is not None:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept: */*"]
        if content_type is not None:
            head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        return await asyncio.wait_for(self._exchange(message), self.timeout)

    async def get(self, path: str, **kwargs: Any) -> Answer:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Answer:
        return await self.request("POST", path, **kwargs)

    async def _exchange(self, message: bytes) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(message)
        status_line = await self.reader.readline()
        if not status_line:  # the server closed a kept-alive connection: once more, afresh
            await self.close()
            return await self._exchange(message)
        status = int(status_line.split(b" ", 2)[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            body = b"".join(chunks)
        else:
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, headers, body)


def multipart(fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body (RFC 7578) and its content type."""
    boundary = os.urandom(16).hex()
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
        )
    for name, (filename, content, kind) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class LeanPool:
    """Several `LeanClient` connections for concurrent requests, each request on a free one."""

    def __init__(self, base: str, size: int, timeout: float = 60) -> None:
        self.free: asyncio.Queue[LeanClient] = asyncio.Queue()
        self.clients = [LeanClient(base, timeout) for _ in range(size)]
        for client in self.clients:
            self.free.put_nowait(client)

    async def __aenter__(self) -> LeanPool:
        return self

    async def __aexit__(self, *_: object) -> None:
        for client in self.clients:
            await client.close()

    async def request(self, method: str, path: str, **kwargs: Any) -> Answer:
        client = await self.free.get()
        try:
            return await client.request(method, path, **kwargs)
        finally:
            self.free.put_nowait(client)

    async def get(self, path: str, **kwargs: Any) -> Answer:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Answer:
        return await self.request("POST", path, **kwargs)
