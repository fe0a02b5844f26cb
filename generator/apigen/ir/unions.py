"""A union an operation returns gets a name in `types/` (issue 11).

GitHub's `repos.get_content` returns a union of four models with their discriminator tags; spelled
out, it filled 16 lines and was written four times (the operation constant, its response, the sync
and the async method). A return type that is a union of three or more members becomes an alias,
`<Resource><Method>Response`, in the resource's `types` module, used everywhere it was spelled.
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
        union = op.returns
        if not isinstance(union, UnionOf) or len(union.items) < MIN_MEMBERS:
            continue
        resource = find_resource(resources, op.resource)
        base = resource.class_name.removesuffix("Resource")
        name = schemas.claim_class_name([base, op.name, "Response"], ["Result"], suffix="Response")
        key = op.pointer + "/x-apigen-returns"
        module = "types." + resource.module.removeprefix("resources.")
        schemas.definitions[key] = AliasDef(
            key, name, module, union, doc=f"What `{'.'.join([*op.resource, op.name])}` returns."
        )
        ref = Ref(key)
        op.returns = ref
        op.responses = [replace(r, type=ref) if r.type == union else r for r in op.responses]
