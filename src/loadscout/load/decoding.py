"""Response bodies as the browser would read them: content-encoding undone, charset found."""

from __future__ import annotations

import zlib

import brotli  # type: ignore[import-untyped]

from loadscout.load.client import TransportError


def decode_body(encoding: str, body: bytes, limit: int) -> bytes:
    """At most ``limit`` bytes of the decoded body: a small compressed body may inflate a
    thousandfold (a decompression bomb), and checks and extractors read only that much."""
    try:
        if encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit)
        if encoding == "deflate":
            try:
                return zlib.decompressobj().decompress(body, limit)
            except zlib.error:  # raw deflate, as some send
                return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, limit)
        if encoding == "br":
            out = brotli.Decompressor().process(body, output_buffer_limit=limit)
            return bytes(out[:limit])
    except (zlib.error, brotli.error) as err:
        raise TransportError("bad_encoding", f"cannot decode {encoding} body: {err}") from None
    return body
