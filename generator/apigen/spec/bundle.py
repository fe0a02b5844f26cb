"""Multi-file specs: relative external `$ref`s bundled into the root document, then every
internal `$ref` checked.

A `$ref` naming a schema in another file becomes a schema in components/schemas (definitions in
Swagger 2.0) under a name derived from the target; anything else is inlined. Absolute paths,
`file://`, `http(s)` and refs leaving the spec's folder (or `--ref-root`) are refused unless
`allow_remote`. Where bundled content came from is recorded, so diagnostics name its own file.

The ref check is a regex over the text for a JSON file (github.json's refs are checked without
walking its tree); a tree walk otherwise, or when the regex is unsure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from ..diagnostics import Diagnostic, SpecError
from .dangling import Dangling
from .locate import Locator
from .parse import MAX_SPEC_BYTES, TooLarge, decode, fatal, parse_document, read_capped
from .pointer import MISSING, find, zero_padded_hint
from .pointer import join as join_pointer
from .pointer import split as split_pointer
from .refs import (
    Frame,
    canonical_ref,
    copy_counted,
    copy_tree,
    count_containers,
    is_schema_ref,
    walk_refs,
)

if TYPE_CHECKING:  # spec/fetch.py imports urllib.request (12 ms): only a URL needs it
    from .fetch import FetchedSpec

__all__ = ["EXTERNAL_REF_IN_JSON", "BundleFile", "Bundler", "check_refs", "escaped_ref_key"]

_MAX_REMOTE_BYTES = 64 * 1024 * 1024
#: A non-schema `$ref` to another file (a response, a parameter, a path item, an example) is
#: inlined as a copy at each use, so targets that name others several times, nested, multiply:
#: 2 refs a level, 24 levels, 16 M copies (a hang, then memory). Past `_INLINED_CHECKED`
#: copied containers (GitHub's whole document has 258,000 nodes), the bundle is refused when
#: they are `_INLINED_RATIO` times what the other files hold, and past `MAX_INLINED` in any
#: case. Schemas are bundled once each (`_link_schema`) and do not count. Each copy also
#: counts the depth it is written at and the chain of copies it sits in (its pointer is joined,
#: its chain copied): 40 levels of two refs took 30 s and 300 MB to refuse, 200 s and 2.3 GB
#: with padding that raised the ratio's allowance (a helper's sweep).
_INLINED_CHECKED = 500_000
_INLINED_RATIO = 50
MAX_INLINED = 4_000_000
_REF_IN_JSON = re.compile(r'"\$ref"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
EXTERNAL_REF_IN_JSON = re.compile(r'"\$ref"\s*:\s*+(?!"#)')
"""A `$ref` whose value does not start with `#` in JSON text: the document needs bundling."""
_COMPONENT_NAME_BAD = re.compile(r"[^A-Za-z0-9._-]+")
# `"$ref"` with any of its characters written as a JSON `\u` escape (the hex is all digits)
_REF_KEY_SPELLINGS = re.compile(r'"(?:\$|\\u0024)(?:r|\\u0072)(?:e|\\u0065)(?:f|\\u0066)"')


def escaped_ref_key(text: str) -> bool:
    """Whether JSON `text` spells a `$ref` key with escapes, which the fast paths reading
    `"$ref"` literally would miss: then the document is walked."""
    return any(m.group() != '"$ref"' for m in _REF_KEY_SPELLINGS.finditer(text))


class _Unreadable(Exception):
    """An external `$ref`'s file cannot be read (missing, a folder, no permission)."""


@dataclass
class BundleFile:
    """One file (or, with allow_remote, URL) taking part in the bundle."""

    key: str  # resolved path or URL: identity
    display: str  # as shown in diagnostics
    path: Path | None
    url: str | None
    doc: Any
    sha256: str


class Bundler:
    """Pulls relative external `$ref`s into the root document; cycles end because each target is
    registered before it is walked."""

    def __init__(
        self,
        root: BundleFile,
        *,
        allow_remote: bool,
        swagger2: bool,
        ref_root: Path | None = None,
        dangling: Dangling | None = None,
        mirror: FetchedSpec | None = None,
        remote_hosts: frozenset[str] = frozenset(),
        found: list[Diagnostic] | None = None,
    ) -> None:
        self.root = root
        self.found = found  # warnings from parsing the files it reads (YAML keys written twice)
        self.mirror = mirror  # a spec fetched from a URL: files are shown by their URL
        self.remote_hosts = remote_hosts  # hosts a URL `$ref` may be fetched from
        assert root.path is not None
        self.root_dir = root.path.resolve().parent
        # files may be read from here down: the spec's folder, or the folder the user allowed
        self.allowed = ref_root.resolve() if ref_root is not None else self.root_dir
        self.ref_root_given = ref_root is not None
        self.dangling = dangling
        self.allow_remote = allow_remote
        self.swagger2 = swagger2
        self.files: dict[str, BundleFile] = {root.key: root}
        self._anchor_tables: dict[str, dict[str, str]] = {}
        #: local files a `$ref` named that could not be read (the build cache's key holds their
        #: absence: creating one must rebuild)
        self.missing: set[str] = set()
        self.names: dict[tuple[str, str], str] = {}
        self.origins: dict[str, tuple[str, str]] = {}
        self.inlined = 0  # containers copied in by inlining non-schema refs (MAX_INLINED)
        self._written_count = (0, 0)  # (files counted, containers in them): `_written`
        self.prefix = ["definitions"] if swagger2 else ["components", "schemas"]
        schemas = find(root.doc, self.prefix)
        self.used: set[str] = set(schemas) if type(schemas) is dict else set()
        self._locators: dict[str, Locator] = {}

    # -- errors --------------------------------------------------------------------------------

    def _error(self, file: BundleFile, segments: list[str], message: str, kind: str) -> SpecError:
        pointer = join_pointer(segments)
        line = None
        if file.path is not None:
            locator = self._locators.get(file.key)
            if locator is None:
                locator = self._locators[file.key] = Locator(
                    decode(file.path.read_bytes(), file.display)
                )
            line = locator.line(pointer)
        return fatal(file.display, pointer, message, kind, line)

    # -- reading targets -----------------------------------------------------------------------

    def _display(self, path: Path) -> str:
        """As the user would write it: relative to how the root spec was named (`..` allowed
        when the file sits under --ref-root but beside the spec's folder)."""
        if self.mirror is not None and path.is_relative_to(self.mirror.mirror.resolve()):
            return self.mirror.display(path)
        if not path.is_relative_to(self.allowed) and not path.is_relative_to(self.root_dir):
            return str(path)
        root_display = Path(self.root.display).parent
        return os.path.normpath(root_display / os.path.relpath(path, self.root_dir))

    def _open(
        self, ref: str, base: BundleFile, where: Callable[[str, str], SpecError]
    ) -> BundleFile:
        """The file a ref's URL part names, read once; refusals name the referring place."""
        url_part = ref.split("#", 1)[0]
        try:
            parts = urlsplit(url_part)
            joined = urlsplit(urljoin(base.url or "", url_part))
            joined.port  # noqa: B018  (a port that is no number raises here)
        except ValueError as exc:  # `http://[::1` (an unclosed bracket), a port past 65535
            raise where(f"$ref {ref!r} is no valid URL ({exc})", "external-ref") from None
        scheme = parts.scheme.lower()
        remote_base = base.url is not None
        if scheme in ("http", "https") or (remote_base and not scheme):
            host = joined.hostname or ""
            if not self.allow_remote and host not in self.remote_hosts:
                raise where(
                    f"$ref {ref!r} refused: remote URLs are not fetched (save the file beside "
                    "the spec and refer to it by a relative path)",
                    "external-ref",
                )
            url = urljoin(base.url or "", url_part)
            return self._fetch(url, where)
        if scheme == "file":
            if not self.allow_remote:
                raise where(
                    f"$ref {ref!r} refused: file:// URLs are not read (use a path relative to the "
                    "spec; --ref-root DIR lets it reach a folder above)",
                    "external-ref",
                )
            from urllib.request import url2pathname  # 12 ms (http.client, email, ssl): lazily

            path = Path(url2pathname(parts.path))
        elif len(scheme) > 1:
            raise where(f"$ref {ref!r} refused: unsupported URL scheme {scheme!r}", "external-ref")
        else:
            raw = unquote(url_part)
            if os.path.isabs(raw) or re.match(r"^[A-Za-z]:[\\/]", raw):
                if not self.allow_remote:
                    raise where(
                        f"$ref {ref!r} refused: absolute paths are not read (use a path "
                        "relative to the spec; --ref-root DIR lets it reach a folder above)",
                        "external-ref",
                    )
                path = Path(raw)
            else:
                assert base.path is not None
                path = base.path.parent / raw
                if base is self.root and not self._readable_here(path):
                    # a spec reached through a symlink (`link/api.yaml -> ../real/api.yaml`)
                    # whose refs sit beside its real file: read there (they were read beside
                    # the link: "cannot read"); a file beside the link, as named, comes first
                    # when refs may read it (Bazel's runfiles: every file its own symlink)
                    path = self.root_dir / raw
        if "\x00" in str(path):  # no file system takes it (os calls raise ValueError)
            raise where(f"$ref {ref!r} refused: a file name cannot hold a NUL", "external-ref")
        try:
            resolved = path.resolve()  # symlinks followed and `..` folded before the check
        except (RuntimeError, OSError) as exc:  # a symlink loop (3.11 raises RuntimeError)
            raise where(f"$ref {ref!r}: cannot read {path}: {exc}", "external-ref") from None
        if not self.allow_remote and not resolved.is_relative_to(self.allowed):
            if self.ref_root_given:
                raise where(
                    f"$ref {ref!r} refused: it leaves the allowed folder {self.allowed} "
                    "(--ref-root)",
                    "external-ref",
                )
            raise where(
                f"$ref {ref!r} refused: it leaves the spec's folder {self.root_dir}; "
                "to let $refs read files under a folder above it, pass --ref-root DIR",
                "external-ref",
            )
        key = str(resolved)
        known = self.files.get(key)
        if known is not None:
            return known
        try:
            if resolved.exists() and not (resolved.is_file() or resolved.is_dir()):
                raise OSError(0, "not a regular file")  # a FIFO or a device: the read would block
            data = read_capped(resolved)
        except TooLarge:
            raise _Unreadable(
                f"$ref {ref!r}: {self._display(resolved)} is larger than {MAX_SPEC_BYTES} bytes"
            ) from None
        except OSError as exc:
            self.missing.add(key)
            raise _Unreadable(
                f"$ref {ref!r}: cannot read {self._display(resolved)}: {exc.strerror or exc}"
            ) from None
        display = self._display(resolved)
        doc = parse_document(
            decode(data, display), display, json_hint=resolved.suffix == ".json", found=self.found
        )
        file = BundleFile(key, display, resolved, None, doc, hashlib.sha256(data).hexdigest())
        self.files[key] = file
        return file

    def _fetch(self, url: str, where: Callable[[str, str], SpecError]) -> BundleFile:
        known = self.files.get(url)
        if known is not None:
            return known
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                data = response.read(_MAX_REMOTE_BYTES + 1)
        except OSError as exc:
            raise where(f"cannot fetch {url}: {exc}", "external-ref") from None
        if len(data) > _MAX_REMOTE_BYTES:
            raise where(f"{url} is larger than {_MAX_REMOTE_BYTES} bytes", "external-ref")
        doc = parse_document(
            decode(data, url), url, json_hint=url.endswith(".json"), found=self.found
        )
        file = BundleFile(url, url, None, url, doc, hashlib.sha256(data).hexdigest())
        self.files[url] = file
        return file

    # -- naming --------------------------------------------------------------------------------

    def _schema_name(self, target: BundleFile, fragment: list[str]) -> str:
        stem = _COMPONENT_NAME_BAD.sub("_", Path(urlsplit(target.key).path).stem) or "schema"
        last = fragment[-1] if fragment else ""
        base = _COMPONENT_NAME_BAD.sub("_", last).strip("_") if last and not last.isdigit() else ""
        parent_dir = _COMPONENT_NAME_BAD.sub("_", Path(urlsplit(target.key).path).parent.name)
        candidates = (
            [base, f"{stem}_{base}", f"{parent_dir}_{stem}_{base}"]
            if base
            else [stem, f"{parent_dir}_{stem}"]
        )
        for name in candidates:
            if name and name not in self.used:
                return name
        n = 2
        while f"{candidates[0]}_{n}" in self.used:
            n += 1
        return f"{candidates[0]}_{n}"

    def _through(
        self, target: BundleFile, fragment: list[str], value: Any
    ) -> tuple[BundleFile, list[str], Any]:
        """Where a schema that is only a `$ref` (`{$ref: ../models.yaml#/User}`) leads, while it
        is not a named schema itself (a whole file, a response's schema; not a file's top-level
        key or a member of a `schemas` map): a chain of such refs is the schema at its end,
        not an alias of it. A step that cannot be followed (a file
        refused or missing, a dangling pointer) stops here; the walk then reports it."""
        for _ in range(32):
            if not _only_ref(value) or is_schema_ref(fragment) or len(fragment) == 1:
                break
            ref = value["$ref"]
            try:
                step = split_pointer("#" + (ref.split("#", 1)[1] if "#" in ref else ""))
                following = target if ref.startswith("#") else self._open(ref, target, _ignore)
            except (ValueError, _Unreadable, SpecError):
                break
            found = find(following.doc, step)
            if found is MISSING:
                break
            target, fragment, value = following, step, found
        return target, fragment, value

    def _name_after_aliases(self) -> None:
        """A root component that is only a `$ref` to a schema this bundle brought in
        (`ComplexType: {$ref: ./schemas/ComplexType.yml}`, the usual multi-file layout) gives
        that schema its name, instead of a second, derived name (`SchemasComplexType`) and an
        alias. The first such component of a schema takes it; later ones stay aliases."""
        holder = find(self.root.doc, self.prefix)
        if type(holder) is not dict:
            return
        brought = {name: ident for ident, name in self.names.items()}
        base = join_pointer(self.prefix)
        renames: dict[str, str] = {}
        for name, node in list(holder.items()):
            if not _only_ref(node) or name in brought:
                continue
            ref = node["$ref"]
            hoisted = ref.removeprefix(base + "/")
            if not ref.startswith(base + "/") or hoisted not in brought or hoisted in renames:
                continue
            renames[hoisted] = name
        if not renames:
            return
        for hoisted, name in renames.items():
            holder[name] = holder.pop(hoisted)
            self.names[brought[hoisted]] = name
            self.used.discard(hoisted)
        pairs = [
            (join_pointer([*self.prefix, h]), join_pointer([*self.prefix, n]))
            for h, n in renames.items()
        ]
        for frame in walk_refs(self.root.doc, swagger2=self.swagger2):
            ref = frame.node["$ref"]
            if type(ref) is str and ref.startswith(base + "/"):
                for old, new in pairs:
                    ref = _renamed(ref, old, new)
                frame.node["$ref"] = ref
        for mapping in _mappings(self.root.doc):
            for tag, value in mapping.items():
                if type(value) is str:
                    for old, new in pairs:
                        value = _renamed(value, old, new)
                    mapping[tag] = value
        origins: dict[str, tuple[str, str]] = {}
        for at, origin in self.origins.items():
            for old, new in pairs:
                at = _renamed(at, old, new)
            origins[at] = origin
        self.origins = origins

    # -- the walk ------------------------------------------------------------------------------

    def run(self) -> None:
        # (subtree, where it sits, its file, its pointer in that file, its pointer in the bundle,
        #  external targets being inlined around it: a repeat is a cycle that cannot be inlined)
        queue: list[
            tuple[Any, Any, Any, bool, BundleFile, list[str], list[str], frozenset[tuple[str, str]]]
        ]
        queue = [(self.root.doc, None, None, False, self.root, [], [], frozenset())]
        while queue:
            subtree, key, container, named, base, base_ptr, bundle_ptr, chain = queue.pop()
            # before the walk: the subtree holds only its own file's content (refs the walk
            # inlines bring mappings relative to their own file, met when they are walked)
            for mapping in _mappings(subtree):
                self._map(mapping, base, chain, queue)
            for frame in walk_refs(
                subtree, swagger2=self.swagger2, key=key, container=container, named=named
            ):
                self._visit(frame, base, base_ptr, bundle_ptr, chain, queue)
        self._name_after_aliases()

    def _visit(
        self,
        frame: Frame,
        base: BundleFile,
        base_ptr: list[str],
        bundle_ptr: list[str],
        chain: frozenset[tuple[str, str]],
        queue: list[Any],
    ) -> None:
        node = frame.node
        ref = node["$ref"]
        if not isinstance(ref, str) or (base is self.root and ref.startswith("#")):
            return  # checked with every other internal ref afterwards
        here = [*base_ptr, *frame.segments()]

        def where(message: str, kind: str) -> SpecError:
            return self._error(base, [*here, "$ref"], message, kind)

        fragment_text = ref.split("#", 1)[1] if "#" in ref else ""
        # JSON Schema's plain-name fragment (`defs.yaml#money`, `#money` in another file): the
        # schema whose `$anchor` it names (3.1); it was refused as no JSON pointer outside the
        # root file (a helper's sweep)
        anchor = fragment_text if fragment_text[:1] not in ("", "/") else None
        try:
            fragment = [] if anchor is not None else split_pointer("#" + fragment_text)
        except ValueError:
            raise where(f"$ref {ref!r}: the part after '#' is not a JSON pointer", "ref") from None
        if not ref.strip():  # (read as the spec's own folder: "cannot read .: Is a directory")
            message = f"$ref {ref!r} is empty: it names no file and no part of one"
            self._dangling(frame, base, here, fragment, message, where)
            return
        try:
            target = base if ref.startswith("#") else self._open(ref, base, where)
        except _Unreadable as exc:
            self._dangling(frame, base, here, fragment, str(exc), where)
            return
        if anchor is not None and target is self.root:
            node["$ref"] = "#" + anchor  # checked with the root's own refs afterwards
            return
        if anchor is not None:
            found = self._anchors_of(target).get(unquote(anchor))
            if found is None:
                message = f"$ref {ref!r}: no schema of {target.display} has `$anchor: {anchor}`"
                self._dangling(frame, base, here, fragment, message, where)
                return
            fragment = split_pointer(found)
        if target is self.root:
            node["$ref"] = join_pointer(fragment)
            return
        value = find(target.doc, fragment)
        if value is MISSING and "%" in fragment_text:
            fragment = split_pointer("#" + unquote(fragment_text))
            value = find(target.doc, fragment)
        if value is MISSING:
            message = (
                f"$ref {ref!r}: {join_pointer(fragment)} does not exist in {target.display}"
                + zero_padded_hint(fragment)
            )
            self._dangling(frame, base, here, fragment, message, where)
            return
        # a schema this bundle brought in is a schema position itself: a file's `Alias: {$ref:
        # '#/User'}` links to `User` instead of holding a copy of it
        brought = frame.parent is None and frame.container is find(self.root.doc, self.prefix)
        if frame.is_schema_position() or is_schema_ref(fragment) or brought:
            self._link_schema(node, target, fragment, value, queue, chain)
            return
        ident = (target.key, join_pointer(fragment))
        if ident in chain:
            raise where(
                f"$ref {ref!r} is part of a reference cycle that can only be inlined forever", "ref"
            )
        new, copied = copy_counted(value)
        at = [*bundle_ptr, *frame.segments()]
        self.inlined += copied + len(at) + len(chain)
        if self.inlined > _INLINED_CHECKED and self._inlined_too_much():
            raise where(
                f"$ref {ref!r}: inlining what other files' $refs name grew the document by "
                f"{self.inlined:,} objects and lists, from files holding {self._written():,} "
                "(the same targets named many times over, nested: a reference bomb?); make the "
                "repeated part a schema component, which is bundled once",
                "ref",
            )
        self.origins[join_pointer(at)] = (target.display, join_pointer(fragment))
        frame.skip = True
        if type(new) is dict:
            for k, v in node.items():
                if k != "$ref":
                    new[k] = v  # 3.1 Reference Objects may override summary/description
            node.clear()
            node.update(new)
            new = node
        elif frame.container is not None:
            frame.container[frame.key] = new
        else:
            raise where(f"$ref {ref!r} at the document root must name a mapping", "ref")
        queue.append(
            (new, frame.key, frame.container, frame.named, target, fragment, at, chain | {ident})
        )

    def _readable_here(self, path: Path) -> bool:
        """Whether `path` exists and lies where refs may read (under the allowed folder)."""
        if not os.path.lexists(path):
            return False
        try:
            return self.allow_remote or path.resolve().is_relative_to(self.allowed)
        except (RuntimeError, OSError):  # a symlink loop: reported where it is read
            return True

    def _anchors_of(self, file: BundleFile) -> dict[str, str]:
        """`_anchors` of a file, found once per file."""
        found = self._anchor_tables.get(file.key)
        if found is None:
            found = self._anchor_tables[file.key] = _anchors(file.doc)
        return found

    def _inlined_too_much(self) -> bool:
        return self.inlined > MAX_INLINED or self.inlined > _INLINED_RATIO * self._written()

    def _written(self) -> int:
        """Containers in the files other than the root, as read (what inlining copies from)."""
        if self._written_count[0] != len(self.files):
            total = sum(count_containers(f.doc) for f in self.files.values() if f is not self.root)
            self._written_count = (len(self.files), total)
        return self._written_count[1]

    def _map(
        self,
        mapping: dict[str, Any],
        base: BundleFile,
        chain: frozenset[tuple[str, str]],
        queue: list[Any],
    ) -> None:
        """`discriminator.mapping` values naming a schema in another file
        (`models/nfs_actions.yml#/nfs_action_attach`, DigitalOcean): rewritten to the schema
        that file's bundled copy is, as that schema's `$ref`s are. A value the walk cannot
        follow (a component name, a file not read: unreadable, remote, outside the spec's
        folder; a missing target) stays as it is: the IR then names that member by its own
        schema name."""
        for tag, value in list(mapping.items()):
            if not isinstance(value, str) or not _names_a_file(value):
                continue
            fragment_text = value.split("#", 1)[1] if "#" in value else ""
            try:
                fragment = split_pointer("#" + fragment_text)
            except ValueError:
                continue

            def where(message: str, kind: str, tag: str = str(tag)) -> SpecError:
                return self._error(base, ["discriminator", "mapping", tag], message, kind)

            try:
                target = self._open(value, base, where)
            except (_Unreadable, SpecError):
                continue
            if target is self.root:
                mapping[tag] = join_pointer(fragment)
                continue
            found = find(target.doc, fragment)
            if found is MISSING:
                continue
            node: dict[str, Any] = {"$ref": value}
            self._link_schema(node, target, fragment, found, queue, chain)
            mapping[tag] = node["$ref"]

    def _dangling(
        self,
        frame: Frame,
        base: BundleFile,
        here: list[str],
        fragment: list[str],
        message: str,
        where: Callable[[str, str], SpecError],
    ) -> None:
        """A ref whose file or target is missing: degraded with a warning, or fatal."""
        action = None
        if self.dangling is not None:
            action = self.dangling.degrade(frame, is_schema_ref(fragment))
        if action is None:
            raise where(message, "ref")
        assert self.dangling is not None
        err = self._error(base, [*here, "$ref"], message, "ref").diagnostics[0]
        self.dangling.report.add(replace(err, severity="warning", action=action))

    def _link_schema(
        self,
        node: dict[str, Any],
        target: BundleFile,
        fragment: list[str],
        value: Any,
        queue: list[Any],
        chain: frozenset[tuple[str, str]],
    ) -> None:
        target, fragment, value = self._through(target, fragment, value)
        if target is self.root:  # a chain back into the root document
            node["$ref"] = join_pointer(fragment)
            return
        ident = (target.key, join_pointer(fragment))
        name = self.names.get(ident)
        if name is None:
            name = self._schema_name(target, fragment)
            self.names[ident] = name
            self.used.add(name)
            holder = self.root.doc
            for depth, seg in enumerate(self.prefix):
                parent, holder = holder, holder.get(seg)
                if holder is None:  # absent, or YAML's `schemas:` with nothing under it
                    holder = parent[seg] = {}
                if type(holder) is not dict:
                    raise self._error(
                        self.root,
                        self.prefix[: depth + 1],
                        f"is {_kind(holder)}, not a mapping: the schemas of other files that "
                        "$refs name are bundled here",
                        "spec",
                    )
            copy = copy_tree(value)
            holder[name] = copy
            at = [*self.prefix, name]
            self.origins[join_pointer(at)] = (target.display, join_pointer(fragment))
            queue.append((copy, name, holder, False, target, fragment, at, frozenset()))
        node["$ref"] = join_pointer([*self.prefix, name])


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def _ignore(message: str, kind: str) -> SpecError:
    return SpecError([])


def _only_ref(value: Any) -> bool:
    return type(value) is dict and len(value) == 1 and type(value.get("$ref")) is str


def _renamed(ref: str, old: str, new: str) -> str:
    return new + ref[len(old) :] if ref == old or ref.startswith(old + "/") else ref


def _names_a_file(value: str) -> bool:
    """A mapping value that is a reference into another file, not a component name."""
    if value.startswith("#"):
        return False
    return "#" in value or "/" in value or value.endswith((".yaml", ".yml", ".json"))


def _mappings(root: Any) -> Iterator[dict[str, Any]]:
    """Every `discriminator.mapping` object under `root`."""
    stack = [root]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            found = node.get("discriminator")
            if type(found) is dict and type(found.get("mapping")) is dict:
                yield found["mapping"]
            stack.extend(v for v in node.values() if type(v) is dict or type(v) is list)
        elif type(node) is list:
            stack.extend(v for v in node if type(v) is dict or type(v) is list)


# --------------------------------------------------------------------------- ref check


def _json_refs_ok(doc: dict[str, Any], text: str) -> list[str] | None:
    """Fast path: the distinct `$ref` strings of the JSON text, when every one resolves as
    written. None means "walk the tree to be sure" (the regex also sees refs inside example
    data)."""
    found = _REF_IN_JSON.findall(text)
    if len(found) != text.count('"$ref"'):
        return None  # a non-string $ref, a property named "$ref", or "$ref" as a value
    targets: list[str] = []
    settled: set[str] = set()
    for raw in dict.fromkeys(found):
        ref = json.loads(f'"{raw}"') if "\\" in raw else raw
        if not ref.startswith("#") or canonical_ref(doc, ref) != (True, ref):
            return None
        if _non_schema_cycle(doc, ref, settled):
            return None  # the walk reports it where it is written
        targets.append(ref)
    return targets


def _anchors(doc: Any) -> dict[str, str]:
    """Each `$anchor` of the document and the pointer of the schema declaring it (the first,
    when two declare one: the validator reports it)."""
    found: dict[str, str] = {}
    stack: list[tuple[Any, list[str]]] = [(doc, [])]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            name = node.get("$anchor")
            if isinstance(name, str) and name not in found:
                found[name] = join_pointer(at)
            stack.extend((v, [*at, str(k)]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*at, str(i)]) for i, v in enumerate(node))
    return found


def _a_component(frame: Frame, swagger2: bool = False) -> bool:
    """Whether `frame` is a component's own object (`#/components/requestBodies/body`; in a
    Swagger 2.0 document `#/parameters/P`, `#/responses/R`), not a use of one."""
    parent = frame.parent
    if parent is None:
        return False
    if swagger2 and parent.parent is not None and parent.parent.parent is None:
        return parent.key in ("parameters", "responses", "definitions")
    grand = parent.parent
    return (
        grand is not None
        and grand.parent is not None
        and grand.parent.parent is None
        and grand.key == "components"
    )


def _non_schema_cycle(doc: dict[str, Any], ref: str, settled: set[str] | None = None) -> list[str]:
    """The refs of a chain from `ref` that comes back to itself through objects that are only
    a `$ref` (`#/components/requestBodies/a` -> `b` -> `a`), when `ref` is no schema's (a
    schema's self-alias is the IR's to report); else []. `settled`: refs already known to
    end without one, shared across calls (each ref of a chain of 3,000 walked the rest of it,
    a list's `in` at each step: the build never finished)."""
    try:
        if is_schema_ref(split_pointer(ref)):
            return []
    except ValueError:
        return []
    chain = [ref]
    on_chain = {ref}
    node = find(doc, split_pointer(ref))
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        found, nxt = canonical_ref(doc, node["$ref"])
        if not found or (settled is not None and nxt in settled):
            break  # dangling (reported where it is written), or known to end
        if nxt in on_chain:
            return [*chain, nxt]
        chain.append(nxt)
        on_chain.add(nxt)
        node = find(doc, split_pointer(nxt))
    if settled is not None:
        settled.update(chain)
    return []


def check_refs(
    doc: dict[str, Any],
    text: str | None,
    *,
    swagger2: bool,
    place: Callable[[str], tuple[str, str, int | None]],
    dangling: Dangling,
) -> list[str]:
    """Every internal `$ref` must resolve. One that does not is degraded where something
    untyped can stand in for it (a schema becomes Any), with a located warning; elsewhere it
    is fatal. Returns the distinct refs that resolve, as the document now writes them."""
    known = _json_refs_ok(doc, text) if text is not None else None
    if known is not None:
        return known
    errors: list[Diagnostic] = []
    cache: dict[str, tuple[bool, str]] = {}
    cycles: dict[str, list[str]] = {}
    settled: set[str] = set()  # refs whose chain ends without a cycle (`_non_schema_cycle`)
    anchors: dict[str, str] | None = None  # `$anchor` -> its pointer, found when first asked

    def error(frame: Frame, message: str) -> None:
        file, pointer, line = place(join_pointer([*frame.segments(), "$ref"]))  # error path only
        errors.append(Diagnostic(file, pointer, message, "error", "ref", line))

    def missing(frame: Frame, ref: str, message: str = "") -> None:
        try:
            schema_ref = is_schema_ref(split_pointer(ref))
        except ValueError:
            schema_ref = False
        where = join_pointer([*frame.segments(), "$ref"])  # before degrading changes the frame
        action = dangling.degrade(frame, schema_ref)
        if not message:
            try:
                hint = zero_padded_hint(split_pointer(ref))
            except ValueError:
                hint = ""
            message = f"$ref {ref!r} does not resolve{hint}"
        if action is None:
            error(frame, message)
            return
        file, pointer, line = place(where)
        dangling.report.add(Diagnostic(file, pointer, message, "warning", "ref", line, action))

    for frame in walk_refs(doc, swagger2=swagger2):
        ref = frame.node["$ref"]
        if not isinstance(ref, str):
            error(frame, "$ref must be a string")
            continue
        if not ref.startswith("#"):
            error(frame, f"$ref {ref!r} was not bundled")
            continue
        hit = cache.get(ref)
        if hit is None:
            if len(ref) > 1 and ref[1] != "/" and not swagger2:
                # JSON Schema's plain-name fragment (`#money`): the schema whose `$anchor` it
                # names (OpenAPI 3.1), read as its pointer from here on
                if anchors is None:
                    anchors = _anchors(doc)
                target = anchors.get(ref[1:])
                hit = (True, target) if target is not None else (False, ref)
            else:
                hit = canonical_ref(doc, ref)
            cache[ref] = hit
        found, canonical = hit
        if not found:
            missing(frame, ref)
            continue
        if canonical != ref:
            frame.node["$ref"] = canonical
        if frame.is_schema_position():
            continue  # a schema's self-reference is the validators' and the IR's to report
        if canonical not in cycles:
            cycles[canonical] = _non_schema_cycle(doc, canonical, settled)
        if cycles[canonical] and not _a_component(frame, swagger2):
            # a parameter, body or response that is only references to itself: no object at
            # the end (it was dropped without a word: the method took no body); degraded where
            # used, as a dangling one (the component itself is no use)
            missing(frame, ref, f"$ref {ref!r} never ends: {' -> '.join(cycles[canonical])}")
    dangling.finish()
    if errors:
        raise SpecError(errors)
    return list(dict.fromkeys(canonical for found, canonical in cache.values() if found))
