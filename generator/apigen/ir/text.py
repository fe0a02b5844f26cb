"""Descriptions as Markdown: what generated docstrings, the README and api.md show.

Specs written for HTML docs (Stripe's `<p>`, `<a href="/docs/...">`) become Markdown with
html2text (pure Python, ~25 ms for all of Stripe's 450 HTML descriptions); a Markdown description
that only sprinkles a few inline tags (`<code>`, `<br>`) keeps its own Markdown (html2text would
reflow its lists) and has just those tags rewritten. Relative links become absolute against the
provider's site when the spec names one (`externalDocs.url`, else `info.contact.url`).
A schema's `title` that is an identifier (`optional_fields_address`) is a name, not prose: it
is never shown as documentation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import html2text

from .nodes import JSON_OBJECT, Api, ModelDef

_BLOCK = re.compile(r"<(p|div|ul|ol|li|table|h[1-6]|pre|blockquote|dl)\b[^>]*>", re.IGNORECASE)
_INLINE = re.compile(
    r"</?(a|code|strong|b|em|i|br|span|tt|kbd|sup|sub|aside|small|u|mark|abbr|cite|q|var|samp"
    r"|del|ins|font|center|section|details|summary)\b[^>]*/?>",
    re.IGNORECASE,
)
_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.\-]*$")
_DEPRECATED = re.compile(r"\bdeprecated\b", re.IGNORECASE)


def docs_site(document: Mapping[str, Any], *, external_only: bool = False) -> str | None:
    """The origin relative doc links are resolved against, if the spec says where it is
    (`external_only`: its `externalDocs`, not the contact's site: OpenAI's contact is
    help.openai.com, Asana's asana.com, and their Markdown links are to other hosts)."""
    info = document.get("info") if isinstance(document.get("info"), JSON_OBJECT) else {}
    assert isinstance(info, JSON_OBJECT)
    contact = info.get("contact") if isinstance(info.get("contact"), JSON_OBJECT) else {}
    assert isinstance(contact, JSON_OBJECT)
    external = document.get("externalDocs")
    for url in (
        external.get("url") if isinstance(external, JSON_OBJECT) else None,
        None if external_only else contact.get("url"),
    ):
        if isinstance(url, str):
            try:
                parts = urlsplit(url)
            except ValueError:  # `http://[::1`: no site to resolve links against
                continue
            if parts.scheme in ("http", "https") and parts.netloc:
                return f"{parts.scheme}://{parts.netloc}"
    return None


# a Markdown link to a path of the docs site (`[Radar](/radar)`), not `//host/...`
_SITE_LINK = re.compile(r"\]\((/(?!/)[^)\s]*)\)")


def to_markdown(text: str, site: str | None = None, markdown_site: str | None = None) -> str:
    """`text` with its HTML (if any) rewritten as Markdown; links to a path of the docs site
    made absolute: HTML ones against `site`, Markdown ones against `markdown_site` (the spec's
    `externalDocs` only: the contact's site sent OpenAI's `/docs/...` to help.openai.com)."""
    if markdown_site and "](/" in text:
        text = _SITE_LINK.sub(lambda m: f"]({urljoin(markdown_site, m[1])})", text)
    if "<" not in text:
        return text
    if _BLOCK.search(text):
        converter = html2text.HTML2Text(baseurl=site or "", bodywidth=0)
        converter.unicode_snob = True  # keep typographic quotes as they are
        converter.ignore_images = True
        return _tidy(converter.handle(text))
    if not _INLINE.search(text):
        return text  # `a < b`, `<id>` placeholders: not HTML

    def link(match: re.Match[str]) -> str:
        href = match[1]
        if site and href.startswith("/"):
            href = urljoin(site, href)
        return f"[{_INLINE.sub('', match[2]).strip()}]({href})"

    text = _LINK.sub(link, text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?(code|tt|kbd)\b[^>]*>", "`", text, flags=re.IGNORECASE)
    text = re.sub(r"</?(strong|b)\b[^>]*>", "**", text, flags=re.IGNORECASE)
    text = re.sub(r"</?(em|i)\b[^>]*>", "*", text, flags=re.IGNORECASE)
    text = _INLINE.sub("", text)  # tags with no Markdown spelling (Zoom's `<aside>`): text
    return html.unescape(text).strip()


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and out and not out[-1]:
            continue  # one blank line between paragraphs
        out.append(line)
    return "\n".join(out)


# What a spec's prose may not carry into the package: control characters (a NUL, ESC, C1)
# and the bidirectional controls of "Trojan Source" (which reorder how a line of code reads in
# an editor; linters flag them: ruff PLE2502), and the zero-width space (ruff PLE2515). Tabs
# and newlines stay.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def visible(text: str) -> str:
    """`text` without the characters `INVISIBLE` names (a CR is a newline)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return INVISIBLE.sub("", text)


#: `allOf` levels `schema_doc` looks down for a description (a valid spec nesting 500 inline
#: `allOf`s raised RecursionError, reported as an unreadable document).
_DOC_DEPTH = 32


def schema_doc(schema: object, depth: int = 0) -> str:
    """A schema's documentation: its description, else a title that is prose, else that of an
    inline `allOf` member (`allOf: [{$ref}, {description}]`, how AWS specs document almost
    every property: the description is the property's, not the referenced schema's)."""
    if not isinstance(schema, JSON_OBJECT):
        return ""
    return deprecated_doc(_described(schema, depth), schema.get("deprecated") is True)


def _described(schema: Mapping[str, Any], depth: int) -> str:
    description = schema.get("description")
    if isinstance(description, str) and description.strip():
        return description.strip()
    title = schema.get("title")
    if isinstance(title, str) and title.strip() and not _IDENTIFIER.match(title.strip()):
        return title.strip()
    members = schema.get("allOf")
    if isinstance(members, list) and depth < _DOC_DEPTH:
        for member in members:
            if isinstance(member, JSON_OBJECT) and "$ref" not in member:
                found = schema_doc(member, depth + 1)
                if found:
                    return found
    return ""


def deprecated_doc(text: str, deprecated: bool) -> str:
    """`text` led by "Deprecated." when the spec marks its subject `deprecated` and the text
    does not say so already: a reader of the docstring (or an editor's hover) sees it before
    using a field or argument the provider means to remove."""
    if not deprecated or _DEPRECATED.search(text):
        return text
    return f"Deprecated. {text}" if text else "Deprecated."


def markdown_pass(api: Api, site: str | None, markdown_site: str | None = None) -> None:
    """Rewrite every description the IR holds as Markdown (in place, once, after the build).

    Each distinct text is converted once: specs repeat descriptions (AWS EC2: 3,351 HTML
    descriptions, 980 distinct; html2text took 1 s of its 7.8 s build)."""
    done: dict[str, str] = {}

    def md(text: str) -> str:
        found = done.get(text)
        if found is None:
            found = done[text] = to_markdown(visible(text), site, markdown_site)
        return found

    api.title = visible(api.title)
    api.description = md(api.description)
    for op in api.operations:
        op.summary = md(op.summary)
        op.description = md(op.description)
        for p in op.params:
            p.doc = md(p.doc)
    for d in api.definitions.values():
        d.doc = md(d.doc)
        if isinstance(d, ModelDef):
            for f in d.fields:
                f.doc = md(f.doc)
    for s in api.security_schemes:
        s.doc = md(s.doc)
