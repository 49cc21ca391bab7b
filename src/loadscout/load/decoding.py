"""Response bodies as the browser would read them: content-encoding undone, charset found."""

from __future__ import annotations

import zlib

import brotli  # type: ignore[import-untyped]

from loadscout.load.client import TransportError


def decode_body(encoding: str, body: bytes) -> bytes:
    try:
        if encoding == "gzip":
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some send
        if encoding == "br":
            return bytes(brotli.decompress(body))
    except (zlib.error, brotli.error) as err:
        raise TransportError("bad_encoding", f"cannot decode {encoding} body: {err}") from None
    return body


def charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip('"') or None
    return None
