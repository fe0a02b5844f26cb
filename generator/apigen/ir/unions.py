"""A union an operation returns gets a name in `types/` (issue 11).

GitHub's `repos.get_content` returns a union of four models with their discriminator tags; spelled
out, it filled 16 lines and was written four times (the operation constant, its response, the sync
and the async method). A return type that is a union of three or more members becomes an alias,
`<Resource><Method>Response`, in the resource's `types` module, used everywhere it was spelled; so
does what a `stream=True` call yields, `<Resource><Method>Event`.
"""

from __future__ import annotations

from dataclasses import replace

from .nodes import AliasDef, OperationDef, Ref, ResourceDef, UnionOf, find_resource
from .schemas import SchemaConverter

MIN_MEMBERS = 3


def name_returned_unions(
    ops: list[OperationDef], resources: dict[str, ResourceDef], schemas: SchemaConverter
) -> None:
    for op in ops:
        resource = find_resource(resources, op.resource)
        base = resource.class_name.removesuffix("Resource")
        module = "types." + resource.module.removeprefix("resources.")
        call = ".".join([*op.resource, op.name])
        union = op.returns
        if isinstance(union, UnionOf) and len(union.items) >= MIN_MEMBERS:
            name = schemas.claim_class_name(
                [base, op.name, "Response"], ["Result"], suffix="Response"
            )
            key = op.pointer + "/x-apigen-returns"
            schemas.definitions[key] = AliasDef(
                key, name, module, union, doc=f"What `{call}` returns."
            )
            ref = Ref(key)
            op.returns = ref
            op.responses = [replace(r, type=ref) if r.type == union else r for r in op.responses]
        streaming = op.streaming
        if streaming is None:
            continue
        union = streaming.returns
        if isinstance(union, UnionOf) and len(union.items) >= MIN_MEMBERS:
            # what `stream=True` yields (decisions 63): OpenAI's response events
            name = schemas.claim_class_name([base, op.name, "Event"], ["Record"], suffix="Event")
            key = op.pointer + "/x-apigen-stream-returns"
            doc = f"What `{call}({streaming.param}=True)` yields."
            schemas.definitions[key] = AliasDef(key, name, module, union, doc=doc)
            ref = Ref(key)
            op.streaming = replace(
                streaming,
                returns=ref,
                responses=[
                    replace(r, type=ref) if r.type == union else r for r in streaming.responses
                ],
            )
