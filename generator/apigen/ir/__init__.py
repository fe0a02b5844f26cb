"""Build the intermediate representation (`Api`) from a loaded OpenAPI 3.x document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .. import naming
from ..diagnostics import Report
from ..spec.methods import path_operations
from ..spec.pointer import escape
from . import client_params, grouping, layout, long_running, pagination, parts, unions, usage
from . import options as custom
from .freeze import freeze
from .lock import NameLock
from .nodes import Api, OperationDef, ResourceDef, as_object, find_resource
from .operations import (
    OperationBuilder,
    collect,
    is_list_response,
    operation_node,
    query_names,
)
from .options import ApiOptions
from .schemas import SchemaConverter
from .security import (
    bearer_merges,
    build_security,
    credential_params,
    drop_signature_params,
    tls_schemes,
    token_endpoints_on_the_server,
)
from .servers import base_url, root_server
from .text import docs_site, markdown_pass
from .webhooks import build_webhooks

__all__ = ["Api", "build_api"]


def build_api(
    document: Mapping[str, Any],
    *,
    package: str,
    spec_file: str,
    spec_sha256: str,
    report: Report,
    spec_tree_sha256: str | None = None,
    reserved_client: set[str],
    reserved_resource: set[str],
    options: ApiOptions | None = None,
    lock: NameLock | None = None,
) -> Api:
    """`options`: a configured client's filters, renames and settings (ir/options.py).
    `lock`: the previous build's call paths, kept for operations that still exist (ir/lock.py).
    The `Api` returned is frozen: assigning to a node or changing a list or dict raises."""
    opts = options or ApiOptions()
    info = document.get("info") if isinstance(document.get("info"), Mapping) else {}
    assert isinstance(info, Mapping)
    ops = custom.select(_sendable(collect(document), report, spec_file), opts, report)
    list_like = {
        id(op)
        for op in ops
        if is_list_response(
            document, operation_node(document, op), op.path, query_names(document, op)
        )
    }
    wanted = custom.config_names(ops, opts, report)
    asked: dict[int, str] = {}  # a naming extension's method name, as `explicit` left it

    def explicit(ops: list[OperationDef]) -> None:
        """Naming extensions over derived names, configured renames over both."""
        for op in ops:
            resource, name = custom.extension_names(
                operation_node(document, op), op, report, spec_file
            )
            op.resource, op.name = resource or op.resource, name or op.name
            if name:
                asked[id(op)] = name
        if lock is not None:  # the previous output's names; configured renames still win
            lock.apply(ops, reserved_resource)
        custom.rename_resources(ops, opts, report)
        for op in ops:
            resource, name = wanted.get(id(op), (None, None))
            op.resource, op.name = resource or op.resource, name or op.name
            if id(op) in asked and asked[id(op)] != op.name:
                del asked[id(op)]  # the lock's or the configuration's name won: no clash

    grouping.assign(ops, list_like, reserved_client, reserved_resource, explicit=explicit)
    custom.check_extension_names(ops, asked, document, report, spec_file)
    custom.check_renamed(ops, wanted, opts, report)
    custom.check_resources(opts, report, reserved_client, reserved_resource)

    schemas = SchemaConverter(document, report, spec_file)
    component_names = list(as_object(as_object(document.get("components")).get("schemas")).keys())
    custom.check_models([str(n) for n in component_names], opts, report)
    modules = _component_modules([opts.rename_models.get(n, n) for n in component_names])
    schemas.register_components(
        {n: modules[opts.rename_models.get(n, n)] for n in component_names}, opts.rename_models
    )

    resources = _resource_tree(ops, schemas)
    builder = OperationBuilder(document, schemas)
    schemes, default_security = build_security(document, report, spec_file)
    known = {s.name for s in schemes}
    merges = bearer_merges(document)
    tls = tls_schemes(document)
    for op in ops:
        res = find_resource(resources, op.resource)
        base = res.class_name.removesuffix("Resource")
        # inline types: one module per resource (`types/customers_sources.py`)
        builder.build(op, [base, op.name], "types." + res.module.removeprefix("resources."))
        pagination.assign(document, op, builder.op_node(op), schemas.definitions, report, spec_file)
        long_running.assign(
            op, builder.op_node(op), custom.long_running_for(op, opts), report, spec_file
        )
        if op.security is not None:
            kept = (tuple(n for n in alt if n not in tls) for alt in op.security)
            op.security = tuple(merges.get(alt, alt) for alt in kept)
            op.security = _known_security(op, known, report, spec_file)
    custom.check_long_running(ops, opts, report)
    schemes, default_security = custom.apply_security(schemes, default_security, ops, opts, report)
    drop_signature_params(ops, schemes, default_security)
    credential_params(ops, schemes, default_security)
    hooks = build_webhooks(document, schemas)
    unions.name_returned_unions(ops, resources, schemas)
    requests = usage.mark_request_only(
        schemas.definitions, ops, received=[h.payload for h in hooks], flattened=builder.flattened
    )
    schemas.fill_examples(requests)
    for key in layout.break_alias_cycles(schemas.definitions):
        report.warn(
            spec_file,
            key,
            "type alias is itself with nothing around it (no list or map)",
            kind="recursion",
            action="the recursive part is typed as Any",
        )
    layout.shorten_alias_chains(schemas.definitions)
    usage.mark_params(schemas.definitions, requests, schemas.class_names)
    for resource in _every_resource(resources):  # large ones split, their types too
        parts.assign(resource, schemas.definitions)
    lazy = layout.lazy_models(schemas.definitions)
    cycles = layout.merge_cycles(schemas.definitions, lazy)
    server_url = base_url(document, report, spec_file)
    _warn_equal_templates(document, report, spec_file)
    token_endpoints_on_the_server(schemes, server_url)
    api = Api(
        package=package,
        title=str(info.get("title") or package),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or "").strip(),
        spec_file=spec_file,
        spec_sha256=spec_sha256,
        spec_tree_sha256=spec_tree_sha256,
        base_url=server_url,
        definitions=schemas.definitions,
        operations=ops,
        resources=resources,
        security_schemes=schemes,
        default_security=default_security,
        components=schemas.components,
        options=replace(opts),  # a copy: freezing the Api leaves the caller's options alone
    )
    api.cycles = cycles
    api.lazy_models = lazy
    api.flattened = frozenset(k for k in builder.flattened if k in schemas.definitions)
    api.webhooks = hooks
    api.server = root_server(
        document, {kw for s in schemes for kw in s.credentials.values()} | {"token_url"}
    )
    api.client_params = client_params.assign(
        document,
        ops,
        {kw for s in schemes for kw in s.credentials.values()}
        | {"token_url"}
        | {v.keyword for v in api.server.variables},
    )
    # descriptions as Markdown, links absolute
    markdown_pass(api, docs_site(document), docs_site(document, external_only=True))
    return freeze(api)  # readers cannot change it (ir/freeze.py)


def _component_modules(names: list[str]) -> dict[str, str]:
    taken: set[str] = set()
    result: dict[str, str] = {}
    for name in names:
        mod = naming.module_name(name)
        if mod in taken:
            mod = naming.module_name(naming.spelled(name))
        while mod in taken:
            mod += "_schema"
        taken.add(mod)
        result[name] = "models." + mod
    return result


def _resource_tree(ops: list[OperationDef], schemas: SchemaConverter) -> dict[str, ResourceDef]:
    """The resource tree; every node has a module of its own (`resources.customers`,
    `resources.customers_sources`): no module holds a whole API's worth of methods, and a
    sub-resource is imported only when it is used."""
    roots: dict[str, ResourceDef] = {}
    modules: dict[tuple[str, ...], str] = {}
    for op in ops:
        level = roots
        node: ResourceDef | None = None
        for depth in range(1, len(op.resource) + 1):
            key = op.resource[depth - 1]
            if key not in level:
                path = op.resource[:depth]
                parent = modules.get(path[:-1], "resources")
                module = parent + ("." if depth == 1 else "_") + naming.module_name(key)
                while module in modules.values():
                    module += "_api"
                modules[path] = module
                name = schemas.claim_class_name(list(path), ["Resource"], suffix="Resource")
                async_name = "Async" + name
                if async_name in schemas.class_names:
                    async_name = "Async" + name + "Resource"
                schemas.class_names.add(async_name)
                level[key] = ResourceDef(path, name, async_name, module)
            node = level[key]
            level = node.children
        assert node is not None
        node.operations.append(op)
    return roots


def _every_resource(resources: dict[str, ResourceDef]) -> list[ResourceDef]:
    out: list[ResourceDef] = []
    todo = list(resources.values())
    while todo:
        node = todo.pop(0)
        out.append(node)
        todo.extend(node.children.values())
    return out


def _sendable(ops: list[OperationDef], report: Report, file: str) -> list[OperationDef]:
    """The operations whose path can be sent as written: a literal `.` or `..` segment leaves
    the base URL's path (`/../admin` went to `http://host/admin`, past `/base`), and a control
    character is no URL at all (every call raised httpx's `InvalidURL`). Such paths are left
    out, each with a warning, as a key not starting with `/` is."""
    kept: list[OperationDef] = []
    warned: set[str] = set()
    for op in ops:
        literal = _TEMPLATE_PARAM.sub("x", op.wire_path or op.path)
        dots = any(s in (".", "..") for s in literal.split("/"))
        if not dots and not _CONTROL.search(literal):
            kept.append(op)
            continue
        if op.path not in warned:
            warned.add(op.path)
            why = "a `.` or `..` segment" if dots else "a control character"
            report.warn(
                file,
                "#/paths/" + escape(op.path),
                f"path {op.path!r} holds {why}: no request can be sent to it as written",
                kind="paths",
                action="its operations left out",
            )
    return kept


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _warn_equal_templates(document: Mapping[str, Any], report: Report, file: str) -> None:
    """Paths equal but for their parameters' names (`/v1/{jobName}`, `/v1/{name}`): "MUST NOT
    exist as they are identical" (OpenAPI); with a method in common, a server (Prism, ours) can
    route a request to either. The client sends each as written; the spec is warned of."""
    seen: dict[str, list[tuple[str, set[str]]]] = {}
    for path, item in as_object(document.get("paths")).items():
        shape = _TEMPLATE_PARAM.sub("{}", str(path))
        methods = {method for method, _, _ in path_operations(as_object(item))}
        earlier = seen.setdefault(shape, [])
        # (another method on the same shape is told apart: GitHub's GET and DELETE of
        # attestations by `{subject_digest}` and `{attestation_id}`)
        first = next((p for p, theirs in earlier if methods & theirs), None)
        earlier.append((str(path), methods))
        if first is not None and "{" in shape:
            report.warn(
                file,
                "#/paths/" + escape(str(path)),
                f"path {str(path)!r} is {first!r} with other parameter names and a method in"
                " common: a server cannot tell the two apart",
                kind="paths",
                action="both kept; requests may reach the other's operation",
            )


_TEMPLATE_PARAM = re.compile(r"\{[^{}]*\}")


def _known_security(
    op: OperationDef, known: set[str], report: Report, file: str
) -> tuple[tuple[str, ...], ...]:
    assert op.security is not None
    kept = tuple(alt for alt in op.security if all(n in known for n in alt))
    if op.security and not kept:
        report.warn(
            file,
            op.pointer + "/security",
            "no security requirement names a usable scheme",
            kind="security",
            action="operation sent without credentials",
        )
        return ((),)
    return kept
