"""Share links in Chromium: the JS codec (static/js/state.js) agrees with its Python twin (app/share.py),
a link made by "Copy link" reopens the same program, graph, step and view in a fresh browser, and
malformed or hostile links open the page with a notice, never a dialog or a 500."""

import base64
import sys
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import GradtracePage  # noqa: E402

from app import share  # noqa: E402

UNICODE = (
    "# π ≈ 3.14 — 日本語 🙂\nimport torch\nx = torch.tensor([1.0, -2.5], requires_grad=True)\n"
    "(x * x).sum().backward()\n"
)
STEP_LINES = "".join(
    f"h{i} = (h{i - 1} * 1.01 + 0.5).tanh()  # layer {i}: ×1.01, +0.5, tanh — «{'ω' * (i % 5)}» & 100% ok?\n"
    for i in range(1, 40)
)
LONG_PROGRAM = (  # over READABLE_MAX percent-encoded: travels as z=
    "import torch\nw = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\nh0 = w * 2\n"
    + STEP_LINES
    + "loss = h39.sum()\nloss.backward()\nprint(w.grad)\n"
)
SHORT_PROGRAM = (
    "# fan-out: y = x*x + x, so dy/dx = 2x + 1 — ü\nimport torch\n"
    "x = torch.tensor(3.0, requires_grad=True)\ny = x * x + x\ny.backward()\nprint(x.grad)\n"
)
CODEC_PROGRAMS = {
    "empty": "",
    "unicode": UNICODE,
    "symbols": 'a b+c&d=e#f%g/h?i!~*\'()-_.é\t\r\n\\ "q" </script>',
    "long_ascii": (SHORT_PROGRAM.encode("ascii", "ignore").decode() * 100)[:15_000],
    "long_unicode": (UNICODE * 200)[:15_000],
    "long_incompressible": "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(15_000)),
}


def raw_deflate_b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(data, 9)[2:-4]).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def codec(browser, server_url):
    """A page at the app's origin that calls state.js functions: codec(name, *args)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server_url + "/static/favicon.svg")

    def call(name, *args):
        return page.evaluate(
            """async ([name, args]) => {
                 const state = await import("/static/js/state.js");
                 try { return { value: await state[name](...args) }; }
                 catch (e) { return { error: e.constructor.name, message: e.message }; }
               }""",
            [name, list(args)],
        )

    yield call
    context.close()


@pytest.mark.parametrize("name", CODEC_PROGRAMS)
def test_js_and_python_codecs_read_each_other(codec, name):
    code = CODEC_PROGRAMS[name]
    assert share.decompress(codec("compress", code)["value"], 4 * 20_000) == code
    assert codec("decompress", share.compress(code), 4 * 20_000) == {"value": code}
    assert codec("percentEncode", code) == {"value": share.percent_encode(code)}
    js_name, js_value = codec("programParam", code)["value"]
    assert js_name == share.program_param(code)[0]
    if js_name == "code":
        assert js_value == share.percent_encode(code)
    else:
        assert share.decompress(js_value, 4 * 20_000) == code


def test_js_share_query_is_read_back_by_the_server(codec):
    query = codec("shareQuery", {"code": UNICODE, "view": "backward", "step": 3})["value"]
    assert query == share.share_query(UNICODE, "backward", 3)
    link = share.read_link(query.encode(), 20_000)
    assert (link.code, link.view, link.notices) == (UNICODE, "backward", [])


@pytest.mark.parametrize(
    ("z", "message"),
    [
        (raw_deflate_b64(b"\0" * 10_000_000), "unpacks to more than 80,000 bytes"),
        ("not*base64", "not valid base64url"),
        ("AAAA", "damaged"),
        (raw_deflate_b64(b"import torch\n")[:-4], "damaged"),
        (raw_deflate_b64(b"\xff\xfe x"), "not UTF-8"),
    ],
)
def test_js_refuses_bad_z_with_the_python_message(codec, z, message):
    result = codec("decompress", z, 4 * 20_000)
    assert result["error"] == "ShareError" and message in result["message"]
    with pytest.raises(share.ShareError) as python_error:
        share.decompress(z, 4 * 20_000)
    assert result["message"] == str(python_error.value)


# ------------------------------------------------------------------------------------ round trip


def open_app(context, url: str) -> GradtracePage:
    page = context.new_page()
    page.set_viewport_size({"width": 1500, "height": 900})
    app = GradtracePage(page, url)
    page.goto(url)
    app.wait_drawn(1)
    return app


def screen_state(app: GradtracePage) -> dict:
    return {
        "code": app.page.evaluate("window.gradtrace.editor.code"),
        "nodes": app.page.locator("#graph-svg [data-node-id]").count(),
        "step": app.step(),
        "steps": app.steps(),
        "view": app.page.locator("#graph").get_attribute("data-view"),
        "pressed": app.page.locator("button[data-view][aria-pressed=true]").get_attribute(
            "data-view"
        ),
    }


@pytest.mark.parametrize(
    ("program", "param"), [(SHORT_PROGRAM, "code"), (LONG_PROGRAM, "z")], ids=["code", "z"]
)
def test_copy_link_reopens_the_same_program_graph_step_and_view_in_a_fresh_browser(
    browser, server_url, artifacts, program, param
):
    sender = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    app = open_app(sender, server_url + "/")
    app.run(program)
    app.show_view("backward")
    app.scrub_to(app.steps() - 3)
    app.page.get_by_test_id("copy-link").click()
    expect(app.page.get_by_test_id("copy-link")).to_have_attribute("data-copied", "clipboard")
    link = app.page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(server_url + "/?" + param + "=")
    expect(app.page).to_have_url(link)  # the address bar follows the state
    sent = screen_state(app)
    assert sent["view"] == "backward" and sent["nodes"] >= 5
    sender.close()

    receiver = browser.new_context()
    opened = open_app(receiver, link)
    assert screen_state(opened) == sent
    assert opened.errors == []
    opened.page.screenshot(path=str(artifacts / f"share-link-{param}.png"))
    receiver.close()


def test_a_refused_clipboard_shows_the_link_selected_in_a_field(browser, server_url):
    context = browser.new_context()
    context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));"
    )
    app = open_app(context, server_url + "/?example=01_neuron_linear&view=backward&step=2")
    app.page.get_by_test_id("copy-link").click()
    field = app.page.get_by_test_id("share-link")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    link = field.input_value()
    assert link == server_url + "/?example=01_neuron_linear&view=backward&step=2"
    assert (
        app.page.evaluate(
            "getSelection().toString() || document.activeElement.value.substring("
            "document.activeElement.selectionStart, document.activeElement.selectionEnd)"
        )
        == link
    )
    context.close()


def test_an_edited_example_is_shared_as_its_program(browser, server_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    app = open_app(context, server_url + "/?example=01_neuron_linear")
    app.run(SHORT_PROGRAM)
    expect(app.page).to_have_url(
        server_url + "/?" + share.share_query(SHORT_PROGRAM, "forward", app.steps())
    )
    context.close()


# ------------------------------------------------------------------------------------ hostile links

HOSTILE = {
    "script_in_code": ("code=" + quote("</script><script>alert(1)</script>"), None),
    "textarea_break": ("code=" + quote("</textarea><img src=x onerror=alert(1)>"), None),
    "invalid_base64": ("z=%%%not-base64!!", "not valid base64url"),
    "bad_deflate": ("z=AAAAAAAA", "damaged"),
    "zip_bomb": ("z=" + raw_deflate_b64(b"\0" * 10_000_000), "unpacks to more than 80,000 bytes"),
    "too_long": ("z=" + raw_deflate_b64(b"x = 1\n" * 5_000), "longer than 20,000 characters"),
    "not_utf8": ("code=%FF%FE%FD", "not UTF-8"),
    "unknown_view": ("example=01_neuron_linear&view=%3Cscript%3E", "unknown view"),
    "step_not_a_number": ("example=01_neuron_linear&step=alert(1)", "not a step number"),
    "step_out_of_range": ("example=01_neuron_linear&step=999999", "past the end of this run"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_link_opens_the_page_with_a_message_and_runs_no_script(browser, server_url, name):
    query, message = HOSTILE[name]
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    app = GradtracePage(page, server_url)
    response = page.goto(server_url + "/?" + query)
    assert response.status == 200
    app.wait_drawn(1)
    if message is None:  # a script-like program is only text: it runs and fails as Python
        expect(page.get_by_test_id("console")).to_contain_text("SyntaxError")
        assert "<" in page.evaluate("window.gradtrace.editor.code")
    else:
        expect(page.get_by_test_id("notice")).to_be_visible()
        expect(page.get_by_test_id("notice")).to_contain_text(message)
    if name == "step_out_of_range":
        assert app.step() == app.steps()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert app.errors == []
    context.close()
