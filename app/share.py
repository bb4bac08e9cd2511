"""Share links: the program, view and step in a URL. The Python twin of static/js/state.js.

A program travels as `code=` (percent-encoded like JS's encodeURIComponent, spaces as `+`) while
that form is at most READABLE_MAX characters, so short links stay readable; a longer one travels
as `z=`: its UTF-8 bytes, raw deflate (zlib wbits=-15), base64url without padding.

Reading a link never trusts it: unpacking stops at `max_bytes` (a zip bomb costs nothing), and
every malformed part becomes a notice for the page instead of an error.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus

READABLE_MAX = 2_000  # characters of `code=` value; the classic 2,000-character safe URL
VIEWS = ("forward", "backward")
STEP = re.compile(r"\d{1,7}")
BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
DAMAGED = "The link's program (z=) is damaged: it is not complete raw deflate data."


class ShareError(ValueError):
    """A link's program cannot be read; the message is shown on the page."""


def percent_encode(code: str) -> str:
    """The `code=` value: exactly JS's encodeURIComponent(code) with %20 written as `+`."""
    return quote_plus(code, safe="!~*'()")


def compress(code: str) -> str:
    """The `z=` value: raw deflate of the UTF-8 bytes, base64url without padding."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(code.encode("utf-8")) + packer.flush()
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decompress(z: str, max_bytes: int) -> str:
    """The program in a `z=` value, reading at most `max_bytes` unpacked bytes."""
    if len(z) > 2 * max_bytes:  # deflate never needs much more than the input; base64 adds a third
        raise ShareError(
            f"The link's program (z=) is too long to be one of at most {max_bytes:,} bytes."
        )
    if not BASE64URL.fullmatch(z) or len(z) % 4 == 1:
        raise ShareError("The link's program (z=) is not valid base64url.")
    packed = base64.urlsafe_b64decode(z + "=" * (-len(z) % 4))
    unpacker = zlib.decompressobj(-15)
    try:
        data = unpacker.decompress(packed, max_bytes + 1)
    except zlib.error:
        raise ShareError(DAMAGED) from None
    if len(data) > max_bytes:
        raise ShareError(f"The link's program (z=) unpacks to more than {max_bytes:,} bytes.")
    if not unpacker.eof or unpacker.unused_data:
        raise ShareError(DAMAGED)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ShareError("The link's program is not UTF-8 text.") from None


def program_param(code: str) -> tuple[str, str]:
    """("code", readable) for a short program, ("z", compressed) for a long one."""
    readable = percent_encode(code)
    return ("code", readable) if len(readable) <= READABLE_MAX else ("z", compress(code))


def share_query(code: str, view: str | None = None, step: int | None = None) -> str:
    """The query string of a share link (without `?`), in the same order state.js writes it."""
    name, value = program_param(code)
    parts = [f"{name}={value}"]
    if view is not None:
        parts.append(f"view={view}")
    if step is not None:
        parts.append(f"step={step}")
    return "&".join(parts)


@dataclass
class SharedLink:
    """What a page URL asks for; `notices` say what was ignored and why."""

    code: str | None = None
    example: str | None = None
    view: str = "forward"
    notices: list[str] = field(default_factory=list)


def read_link(query_string: bytes, max_chars: int) -> SharedLink:
    """Read `z=` / `code=` / `example=`, `view=` and `step=` from a raw query string; never raises."""
    link = SharedLink()
    try:
        params = dict(
            parse_qsl(query_string.decode("utf-8"), keep_blank_values=True, errors="strict")
        )
    except UnicodeDecodeError:
        link.notices.append("The link is not UTF-8 text; showing the default program.")
        return link
    try:
        if "z" in params:
            link.code = decompress(
                params["z"], 4 * max_chars
            )  # UTF-8 takes at most 4 bytes a character
        elif "code" in params:
            link.code = params["code"]
    except ShareError as error:
        link.notices.append(f"{error} Showing the default program.")
    if link.code is not None and len(link.code) > max_chars:
        link.code = None
        link.notices.append(
            f"The program in the link is longer than {max_chars:,} characters; showing the default program."
        )
    if link.code is None and "z" not in params and "code" not in params:
        link.example = params.get("example")
    view = params.get("view")
    if view is not None and view in VIEWS:
        link.view = view
    elif view is not None:
        link.notices.append(
            "The link asks for an unknown view (forward or backward); showing the forward DAG."
        )
    step = params.get("step")
    if step is not None and not STEP.fullmatch(step):
        link.notices.append("The link's step is not a step number; showing the end of the run.")
    return link
