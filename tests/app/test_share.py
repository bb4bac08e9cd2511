"""Share links (app/share.py): the codec round-trips, unpacking is capped, and any link opens the page."""

import base64
import html
import re
import zlib
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app import share
from app.main import app
from app.routes.pages import DEFAULT_CODE

UNICODE = (
    "# π ≈ 3.14 — 日本語 🙂\nimport torch\nx = torch.tensor([1.0, -2.5], requires_grad=True)\n"
    "(x * x).sum().backward()\n"
)
LINE = "y = (x * 2 + 1).sum()  # some arithmetic & 'quotes' and \"more\" + %20 ?a=b#frag\n"
PROGRAMS = {
    "empty": "",
    "default": DEFAULT_CODE,
    "unicode": UNICODE,
    "long_ascii": ("import torch\nx = torch.ones(3, requires_grad=True)\n" + LINE * 200)[:15_000],
    "long_unicode": (UNICODE * 200)[:15_000],
}
NOTICE = re.compile(r'data-testid="notice"[^>]*>([^<]*)<')


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


def raw_deflate_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(data, 9)[2:-4]).rstrip(b"=").decode()


def notice(response) -> str | None:
    match = NOTICE.search(response.text)
    return html.unescape(match.group(1)) if match and match.group(1) else None


def editor_code(response) -> str:
    return html.unescape(
        re.search(r'<textarea id="initial-code"[^>]*>(.*?)</textarea>', response.text, re.S).group(
            1
        )
    )


@pytest.mark.parametrize("name", PROGRAMS)
def test_compress_then_decompress_gives_the_program_back(name):
    code = PROGRAMS[name]
    assert len(code) <= 15_000
    assert share.decompress(share.compress(code), 4 * 20_000) == code


@pytest.mark.parametrize("name", PROGRAMS)
def test_a_share_link_opens_with_its_program_in_the_editor(client, name):
    code = PROGRAMS[name]
    response = client.get("/?" + share.share_query(code, "backward", 7))
    assert response.status_code == 200
    assert notice(response) is None
    assert editor_code(response) == code
    assert 'data-view="backward"' in response.text


def test_short_programs_are_readable_and_long_ones_compressed():
    assert share.program_param("import torch\nx = 1\n") == ("code", "import+torch%0Ax+%3D+1%0A")
    name, value = share.program_param(PROGRAMS["long_ascii"])
    assert name == "z" and len(value) < len(share.percent_encode(PROGRAMS["long_ascii"])) / 10


def test_the_readable_form_switches_to_compressed_just_past_its_limit():
    fits = "x" * share.READABLE_MAX
    assert share.program_param(fits)[0] == "code"
    assert share.program_param(fits + "y")[0] == "z"


def test_percent_encoding_is_encode_uri_component_with_plus_for_space():
    # encodeURIComponent keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ) and encodes everything else as UTF-8
    assert (
        share.percent_encode("a b+c&d=e#f%g/h?i!~*'()-_.é")
        == "a+b%2Bc%26d%3De%23f%25g%2Fh%3Fi!~*'()-_.%C3%A9"
    )


def test_decompression_stops_at_the_cap():
    bomb = raw_deflate_b64(b"\0" * 10_000_000)  # 13 KB of base64 that would unpack to 10 MB
    with pytest.raises(share.ShareError, match="unpacks to more than 10,000 bytes"):
        share.decompress(bomb, 10_000)
    assert share.decompress(raw_deflate_b64(b"a" * 1_000), 1_000) == "a" * 1_000


@pytest.mark.parametrize(
    ("z", "message"),
    [
        ("!!!!", "not valid base64url"),
        ("abcde", "not valid base64url"),  # a length no base64 has
        ("AAAA", "damaged"),
        ("", "damaged"),
        (raw_deflate_b64(b"import torch\n")[:-4], "damaged"),  # cut short
        (
            base64.urlsafe_b64encode(zlib.compress(b"x = 1\n")[2:-4] + b"junk")
            .decode()
            .rstrip("="),
            "damaged",
        ),
        (raw_deflate_b64(b"\xff\xfe x"), "not UTF-8"),
    ],
)
def test_bad_z_values_raise_share_error(z, message):
    with pytest.raises(share.ShareError, match=message):
        share.decompress(z, 1_000)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("z=" + raw_deflate_b64(b"\0" * 10_000_000), "unpacks to more than 80,000 bytes"),
        ("z=not*base64", "not valid base64url"),
        ("z=AAAA", "damaged"),
        ("code=%FF%FEx", "not UTF-8"),
        ("z=" + raw_deflate_b64("é".encode("latin-1")), "not UTF-8"),
        ("code=" + "x" * 20_001, "longer than 20,000 characters"),
        ("z=" + raw_deflate_b64(b"x = 1\n" * 5_000), "longer than 20,000 characters"),
        ("view=sideways", "unknown view"),
        ("step=-3", "not a step number"),
        ("step=12345678", "not a step number"),
        ("example=no-such-example", "No example with that name"),
    ],
)
def test_a_malformed_link_opens_the_default_page_with_a_notice(client, query, message):
    response = client.get("/?" + query)
    assert response.status_code == 200
    assert message in notice(response)
    if query.startswith(("z=", "code=")):
        assert editor_code(response) == DEFAULT_CODE


def test_a_script_in_the_code_is_text_in_the_editor_not_markup(client):
    program = "</textarea></script><script>alert(1)</script>"
    response = client.get("/?code=" + quote(program))
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert editor_code(response) == program


def test_a_z_link_wins_over_code_and_example(client):
    response = client.get("/?example=01_neuron_linear&code=a%3D1&z=" + share.compress("b = 2\n"))
    assert editor_code(response) == "b = 2\n"


def test_an_example_link_keeps_working_and_names_its_example(client):
    response = client.get("/?example=01_neuron_linear")
    assert response.status_code == 200 and notice(response) is None
    assert 'data-example="01_neuron_linear"' in response.text
