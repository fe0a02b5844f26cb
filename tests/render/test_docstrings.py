"""Issue 11: generated docstrings are Markdown (no HTML), wrapped at the line length, with
absolute links; identifier titles never show as docs; no `body=` on operations whose body
can hold nothing."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from apigen.ir.text import docs_site, schema_doc, to_markdown
from apigen.render.code import docstring, wrap_markdown
from tests.builds import on_path

_TAG = re.compile(r"</?(p|a|ul|ol|li|code|strong|em|br|div|table)\b[^>]*>", re.IGNORECASE)


def test_html_becomes_markdown_with_absolute_links() -> None:
    text = '<p>With <a href="/docs/connect">Connect</a>, you can.</p><ul><li>one</li></ul>'
    out = to_markdown(text, "https://stripe.com")
    assert "[Connect](https://stripe.com/docs/connect)" in out
    assert "<" not in out and "* one" in out


def test_inline_tags_in_markdown_keep_the_markdown() -> None:
    text = "Use <code>x_y</code> and [docs](https://a.b/c_d).<br>Next\n\n- a\n- b"
    assert to_markdown(text) == "Use `x_y` and [docs](https://a.b/c_d).\nNext\n\n- a\n- b"


def test_markdown_links_to_a_path_of_the_docs_site_are_made_absolute() -> None:
    """A helper's review: only HTML links were (Stripe's `[Radar](/radar)`: 11 in Stripe, 62
    in GitHub, 87 in Asana led nowhere from a docstring)."""
    text = "See [Radar](/radar) and [x](//cdn.x/y), [y](https://z.io/a), [z](rel)."
    site = "https://stripe.com"
    assert to_markdown(text, site, site) == (
        "See [Radar](https://stripe.com/radar) and [x](//cdn.x/y), [y](https://z.io/a), [z](rel)."
    )
    assert to_markdown(text) == text
    # only against the spec's `externalDocs` (a review: the contact's site sent OpenAI's
    # `/docs/...` links to help.openai.com)
    assert to_markdown(text, site) == text
    spec = {"info": {"contact": {"url": "https://help.x.io"}}}
    assert docs_site(spec) == "https://help.x.io" and docs_site(spec, external_only=True) is None
    assert to_markdown("<p>[a](/b) <b>c</b></p>", "https://s.io", "https://s.io").startswith(
        "[a](https://s.io/b)"
    )


def test_text_that_is_not_html_is_untouched() -> None:
    for text in ("a < b", "replace <owner> with yours", "plain"):
        assert to_markdown(text) == text


def test_docs_site_from_the_spec() -> None:
    assert docs_site({"externalDocs": {"url": "https://docs.x.io/guide"}}) == "https://docs.x.io"
    assert docs_site({"info": {"contact": {"url": "https://stripe.com"}}}) == "https://stripe.com"
    assert docs_site({"info": {"contact": {"url": "mailto:a@b"}}}) is None


def test_identifier_titles_are_not_docs() -> None:
    assert schema_doc({"title": "optional_fields_address"}) == ""
    assert schema_doc({"title": "A postal address"}) == "A postal address"
    assert schema_doc({"title": "x", "description": " The thing. "}) == "The thing."


def test_wrapping_keeps_urls_fences_and_tables() -> None:
    url = "https://example.com/" + "a" * 120
    text = f"word {url} word\n\n```\n{'x ' * 80}\n```\n| {'c ' * 60}|"
    out = wrap_markdown(text, 60)
    assert url in out.split("\n")[1]  # on its own line, whole
    assert f"{'x ' * 80}" in out and f"| {'c ' * 60}|" in out
    assert all(len(line) <= 60 for line in wrap_markdown("word " * 50, 60).split("\n"))


def test_docstring_lines_fit_the_line_length() -> None:
    doc = docstring("word " * 100 + "\n\nArgs:\n    name: " + "text " * 40, indent="        ")
    assert all(len(line) <= 100 for line in doc.split("\n"))
    assert "\n                text" in doc  # an Args entry hangs under its name


def test_a_one_line_docstring_fits_with_both_quotes() -> None:
    text = "The level of permission to grant the access token for packages published to GitHub Packages."
    assert len("    " + '"""' + text) <= 100 < len("    " + '"""' + text + '"""')
    doc = docstring(text, indent="    ")
    assert all(len(line) <= 100 for line in doc.split("\n")), doc
    assert doc.endswith('\n    """') and " ".join(doc.replace('"""', "").split()) == text
    assert docstring("Short.", indent="    ") == '    """Short."""'


@pytest.fixture(scope="module")
def stripe(built: dict[str, Path]) -> Iterator[ModuleType]:
    with on_path(built["stripe"], "stripe") as pkg:
        yield pkg


@pytest.mark.parametrize("name", ["stripe", "github"])
def test_no_html_in_generated_docstrings(built: dict[str, Path], name: str) -> None:
    found = []
    for path in (built[name] / name).rglob("*.py"):
        if "_runtime" in path.parts:
            continue
        for number, line in enumerate(path.read_text().split("\n"), 1):
            if _TAG.search(line):
                found.append(f"{path.name}:{number}: {line.strip()[:80]}")
    assert not found, found[:10]


def test_stripe_docs_links_are_absolute(built: dict[str, Path]) -> None:
    text = (built["stripe"] / "stripe" / "resources" / "accounts.py").read_text()
    assert "(https://stripe.com/docs/" in text
    assert "](/docs/" not in text


def test_no_body_parameter_where_the_body_holds_nothing(stripe: ModuleType) -> None:
    client = stripe.Client(api_key="sk_test")
    for method in (client.customers.retrieve, client.customers.delete, client.charges.list):
        assert "body" not in inspect.signature(method).parameters, method
    assert "email" in inspect.signature(client.customers.create).parameters
    client.close()


def test_tags_without_a_markdown_spelling_leave_their_text() -> None:
    """Zoom's `<aside>` notes were shown as HTML in docstrings (2026-12-05)."""
    text = "Update it.\n<aside>Only a <b>master</b> account may.</aside>\n\n- a\n  - nested"
    assert to_markdown(text) == "Update it.\nOnly a **master** account may.\n\n- a\n  - nested"


ARG_DOCS = """\
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://x.test"}]
paths:
  /auth:
    get:
      operationId: authorize
      parameters:
        - name: client_id
          in: query
          description: "The Client ID of the application that is\\nrequesting to authenticate.\\n\\n\\nSee the docs."
          schema: {type: string}
        - name: kind
          in: query
          description: "Use one of the following:\\n* `cloud` - hosted\\n* `local`"
          schema: {type: string}
      responses:
        "204": {description: ok}
"""


def test_an_argument_s_whole_description_hangs_under_its_name(tmp_path: Path) -> None:
    """A helper's review: each argument kept the first line of its description only (Box's
    `client_id` ended "...requesting to authenticate", Zoom's "one of the following:" lost
    its list; 430 of Box's 764)."""
    from tests.builds import build_into

    spec = tmp_path / "arg_docs.yaml"
    spec.write_text(ARG_DOCS)
    build_into(spec, tmp_path / "out", name="arg_docs")
    with on_path(tmp_path / "out", "arg_docs") as pkg:
        doc = inspect.getdoc(pkg.Client(api_key=None).auth.retrieve) or ""
    assert doc.endswith(
        "Args:\n"
        "    client_id: The Client ID of the application that is\n"
        "        requesting to authenticate.\n"
        "\n"
        "        See the docs.\n"
        "    kind: Use one of the following:\n"
        "        * `cloud` - hosted\n"
        "        * `local`"
    )


def test_args_are_documented_in_the_signature_s_order(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Helper 229: GitHub's `get_package_for_organization(org, package_type, package_name)`
    documented `package_type, package_name, org` (the spec's order): 38 methods listed their
    positional path parameters out of order, inviting wrong positional calls."""
    from tests.builds import build_document

    def path_param(name: str) -> dict[str, object]:
        return {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "description": f"The {name}.",
        }

    query = {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Query."}
    out = build_document(
        tmp_path_factory,
        "pkgs",
        {
            "openapi": "3.0.3",
            "info": {"title": "Pkgs", "version": "1"},
            "paths": {
                "/orgs/{org}/packages/{package_type}/{package_name}": {
                    "get": {
                        "operationId": "getPackage",
                        "parameters": [
                            query,
                            path_param("package_type"),
                            path_param("package_name"),
                            path_param("org"),
                        ],
                        "responses": {"204": {"description": "ok"}},
                    }
                }
            },
        },
    )
    with on_path(out, "pkgs") as pkg:
        method = pkg.Client().orgs.packages.retrieve
        assert list(inspect.signature(method).parameters)[:3] == [
            "org",
            "package_type",
            "package_name",
        ]
        doc = inspect.getdoc(method) or ""
        documented = re.findall(r"^    (\w+): ", doc.split("Args:")[1], re.MULTILINE)
        assert documented == ["org", "package_type", "package_name", "q"]
