"""Where each operation lives on the client: `client.<resource path>.<method>`.

Four spellings of the same idea, chosen per spec:
- `tag/verb-noun` operation ids (GitHub's Octokit ids): resource from the prefix, method from the rest;
- `service.resource.method` operation ids (Google's): resources from the middle, method from the end;
- tags: resource from the first tag (less a version every tag starts with: Twilio's
  `MessagingV1Service` is `service`), method from the operation id, less the words that repeat
  the resource (`Sites_RestartSlot` under `sites`: `restart_slot`); one tag every operation
  carries says nothing where paths say more (Plaid's 329 operations, all tagged `plaid`);
- neither (Stripe): resources from the path's literal segments, methods from the HTTP verb
  (`list`, `create`, `retrieve`, `update`, `delete`) or a trailing action segment (`pay`; in
  an API of POSTs, Plaid's `/transfer/ledger/withdraw`, every last segment).
Collisions fall back to the operation id, which the spec guarantees unique.
"""

from __future__ import annotations

import keyword
import re
from collections import defaultdict
from collections.abc import Callable

from .. import naming
from ..path_keys import PathKey, split_key
from .nodes import OperationDef

_VERSION = re.compile(r"^(v\d+(\.\d+)*|api|rest)$", re.IGNORECASE)
_SLASH_ID = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_CUSTOM_METHOD = re.compile(r"^(.*[^:]):([A-Za-z][A-Za-z0-9]*)$")  # `{name}:cancel`, AIP-136
_DOT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)+$")


def _is_param(segment: str) -> bool:
    return "{" in segment


def _segments(path: str) -> list[str]:
    segs = [s for s in path.split("/") if s]
    while len(segs) > 1 and _VERSION.match(segs[0]):
        segs = segs[1:]
    return segs


def assign(
    ops: list[OperationDef],
    list_like: set[int],
    reserved_client: set[str],
    reserved_resource: set[str],
    explicit: Callable[[list[OperationDef]], None] | None = None,
) -> None:
    """Set `resource` and `name` on every operation; `list_like` holds ids of list operations.

    `explicit` overrides derived names (naming extensions, configured renames: ir/options.py)
    before collisions are settled."""
    slash_style = bool(ops) and sum(
        1 for op in ops if _SLASH_ID.match(op.operation_id or "")
    ) >= 0.8 * len(ops)
    dotted = _dotted_ids(ops) if not slash_style else None
    paths = {op.path for op in ops}
    below = _folders(paths)
    methods_on_path: dict[str, set[str]] = defaultdict(set)
    for op in ops:
        methods_on_path[op.path].add(op.method)

    def listing(op: OperationDef) -> bool:  # a GET of a collection
        return op.method == "get" and id(op) in list_like

    tagged = not _one_tag_says_nothing(ops)
    rpc = _posts_only(ops, methods_on_path)
    tag_resource = _tag_resources(ops) if tagged else {}
    keyed: list[OperationDef] = []  # path keys holding a query or a fragment
    tag_named: set[int] = set()  # ids of the operations named by their tag and operation id
    for op in ops:
        key = split_key(op.path)
        if slash_style and _SLASH_ID.match(op.operation_id or ""):
            group, _, rest = op.operation_id.partition("/")
            op.resource = (naming.snake(group),)
            op.name = naming.snake(rest)
        elif dotted is not None and _DOT_ID.match(op.operation_id or ""):
            op.resource, op.name = _dotted_call(op.operation_id, dotted)
        elif not key.plain:
            keyed.append(op)
            verb = _verb_name(op, methods_on_path, id(op) in list_like)
            if op.tags and tagged:
                tag_named.add(id(op))
                op.resource = tag_resource[op.tags[0]]
                op.name = (
                    _own_words(_said(op), op.resource, reserved_resource, listing(op))
                    if op.operation_id
                    else _keyed(verb, key)
                )
            else:
                literal = [s for s in _segments(key.wire) if not _is_param(s)]
                op.resource = tuple(naming.snake(s) for s in literal) or ("root",)
                op.name = _keyed_name(op, key, verb)
        elif op.tags and tagged:
            tag_named.add(id(op))
            op.resource = tag_resource[op.tags[0]]
            op.name = (
                _own_words(_said(op), op.resource, reserved_resource, listing(op))
                if op.operation_id
                else _verb_name(op, methods_on_path, id(op) in list_like)
            )
        else:
            op.resource, op.name = _path_name(
                op, paths, below, methods_on_path, id(op) in list_like, rpc
            )
    _http_verbs_named([op for op in ops if id(op) in tag_named], ops, methods_on_path, list_like)
    _twins(keyed)
    if explicit is not None:
        explicit(ops)
    _settle(ops, reserved_client, reserved_resource)


def _one_tag_says_nothing(ops: list[OperationDef]) -> bool:
    """Whether every operation carries the same first tag while their paths, each of two
    literal segments or more, start with different ones: the tag (Plaid's `plaid`) would put
    329 methods on one resource that the paths spread over `transactions`, `transfer.ledger`...
    A path of one segment (Adyen's `/checkBalance`, Qualpay's `/sale`) would be a resource of
    one method, so the tag stays there."""
    firsts = {op.tags[0] if op.tags else None for op in ops}
    if len(ops) < 2 or len(firsts) != 1 or None in firsts:
        return False
    literals = [[s for s in _segments(op.path) if not _is_param(s)] for op in ops]
    return all(len(words) >= 2 for words in literals) and len({w[0] for w in literals}) > 1


def _posts_only(ops: list[OperationDef], methods_on_path: dict[str, set[str]]) -> bool:
    """An API of actions (Plaid's `POST /transactions/get`, `/sandbox/item/fire_webhook`): at
    least nine operations in ten are the only POST of their path, and two paths in three end in
    a verb this module knows, so a path's last segment names what it does even where it is a
    verb it does not know (`refresh`, `withdraw`). An API of POSTs to nouns (`/chat/completions`)
    keeps `chat.completions.create`."""
    actions = sum(1 for op in ops if op.method == "post" and methods_on_path[op.path] == {"post"})
    if len(ops) < 2 or actions < 0.9 * len(ops):
        return False
    lasts = [[s for s in _segments(path) if not _is_param(s)] for path in methods_on_path]
    known = _VERBS | _NOT_CREATING | _METHOD_VERBS
    verbs = sum(1 for words in lasts if words and naming.snake(words[-1]).split("_")[0] in known)
    return verbs >= 2 / 3 * len(lasts)


def _tag_resources(ops: list[OperationDef]) -> dict[str, tuple[str, ...]]:
    """Each first tag's resource: the tag in snake_case, less the words every tag starts with
    when the last of them is a version, as versions are dropped from paths (Twilio's
    `MessagingV1AlphaSender`, `MessagingV1Service`: `alpha_sender`, `service`;
    `Api20100401Account`: `account`). Nothing is dropped when a tag would be left empty or not a
    name (`V2` beside `V2Users`; `Backup...` tags share no version); Springfox's `-controller`
    is dropped (`_without_controller`). Dotted tags, where two or more are, nest (Slack's
    `admin.apps.approved`: `client.admin.apps.approved`, the method name Slack documents,
    `admin.apps.approved.list`)."""
    tags = sorted({op.tags[0] for op in ops if op.tags})
    dotted = _dotted_tags(tags)
    if dotted is not None:
        return dotted
    names = _without_controller({tag: naming.snake(tag) for tag in tags})
    words = [name.split("_") for name in names.values()]
    shared = 0
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        shared += 1
    drop = max((i + 1 for i in range(shared) if _has_digit(words[0][i])), default=0)
    if len(names) < 2 or not drop:
        return {tag: (name,) for tag, name in names.items()}
    kept = {tag: "_".join(name.split("_")[drop:]) for tag, name in names.items()}
    if not all(n.isidentifier() and not keyword.iskeyword(n) for n in kept.values()):
        return {tag: (name,) for tag, name in names.items()}
    return {tag: (name,) for tag, name in kept.items()}


def _without_controller(names: dict[str, str]) -> dict[str, str]:
    """Springfox's default tags name the Java class (`account-controller`): the resource is
    `account`, unless another tag is already called so."""
    taken = set(names.values())
    out: dict[str, str] = {}
    for tag, name in names.items():
        short = name.removesuffix("_controller")
        keep = short == name or not short or short in taken or short in out.values()
        out[tag] = name if keep else short
    return out


def _dotted_tags(tags: list[str]) -> dict[str, tuple[str, ...]] | None:
    """Every tag as a resource path when two or more are dotted names (`admin.apps`), each
    part a name; None otherwise (one dotted tag is more likely a host: `extraction.import.io`)."""
    if sum(1 for tag in tags if _DOT_ID.match(tag)) < 2:
        return None
    found: dict[str, tuple[str, ...]] = {}
    for tag in tags:
        parts = tuple(naming.snake(part) for part in tag.split("."))
        if not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
            return None
        found[tag] = parts
    return found


# Springfox's ids (`getUsingGET`, `saveUsingPOST_1`): the handler's name, then its HTTP method
_SPRINGFOX = re.compile(r"^(?P<name>.+?)Using(?P<method>[A-Z]+)(?:_\d+)?$")
_NOT_WORD = re.compile(r"\W")


def _said(op: OperationDef) -> str:
    """The operation id as its author wrote it, less what a server framework appends:
    Springfox's `Using<METHOD>` (`changePasswordUsingPOST`: `changePassword`) and FastAPI's
    default `<function>_<path>_<method>` (`cities_getv1_v1_cities_get` on `GET /v1/cities`:
    `cities_getv1`). Method names are read from it; a collision still falls back to the whole
    id (`_settle`)."""
    found = _SPRINGFOX.match(op.operation_id)
    if found and found["method"].lower() == op.method:
        return found["name"]
    fastapi = _NOT_WORD.sub("_", op.path) + "_" + op.method
    if op.operation_id.endswith(fastapi) and len(op.operation_id) > len(fastapi):
        return op.operation_id[: -len(fastapi)]
    return op.operation_id


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _dotted_ids(ops: list[OperationDef]) -> str | None:
    """Google's `service.resource.method` operation ids on at least 80 % of the operations: the
    service word every such id starts with (`""` when they do not share one), else None."""
    ids = [op.operation_id for op in ops if _DOT_ID.match(op.operation_id or "")]
    if not ids or len(ids) < 0.8 * len(ops):
        return None
    firsts = {i.split(".", 1)[0] for i in ids}
    return firsts.pop() if len(firsts) == 1 else ""


def _dotted_call(operation_id: str, service: str) -> tuple[tuple[str, ...], str]:
    """`storagetransfer.projects.agentPools.list` -> (`projects`, `agent_pools`), `list`: the
    shared service word is dropped when a resource remains."""
    parts = operation_id.split(".")
    if service and parts[0] == service and len(parts) >= 3:
        parts = parts[1:]
    return tuple(naming.snake(p) for p in parts[:-1]), naming.snake(parts[-1])


def _http_verbs_named(
    named: list[OperationDef],
    ops: list[OperationDef],
    methods_on_path: dict[str, set[str]],
    list_like: set[int],
) -> None:
    """A tagged operation whose id only said its HTTP method (Box's `post_folders` under
    `folders`, Avaza's `Company_Put`, DigitalOcean's `projects_patch`) is named as the HTTP verb
    is on an untagged path (`create`, `update`, `replace` beside a PATCH): a method called
    `post` reads as a raw request. Where that name is taken on the resource (DigitalOcean's
    PUT `projects_update` beside its PATCH `projects_patch`), the id's own stays. `named` are the tag-named
    operations: Stripe's `.../post` action and Google's own `patch` methods keep theirs."""
    renames: dict[int, str] = {}
    for op in named:
        if op.name == op.method and op.name in ("post", "put", "patch"):
            renames[id(op)] = _verb_name(op, methods_on_path, id(op) in list_like)
    if not renames:
        return
    taken: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for op in ops:
        taken[op.resource].append(renames.get(id(op), op.name))
    for op in ops:
        new = renames.get(id(op))
        if new is not None and taken[op.resource].count(new) == 1:
            op.name = new


def _own_words(
    operation_id: str, resource: tuple[str, ...], reserved: set[str], listing: bool = False
) -> str:
    """The operation id as a method of `resource`, without the words that repeat its name: at
    the start (Azure's `Sites_RestartSlot`, Slack's `pins_add`: `restart_slot`, `add`) or after
    a leading verb (Kubernetes' `patchCoreV1NamespacedService` under `core_v1`:
    `patch_namespaced_service`, the name Kubernetes' own client gives it), so `listFiles` under
    `files` is `list`, as openai-python names it. The whole id stays when nothing would be left,
    when what is left would start with a connective (`get_files_by_id`, `get_files_id` under
    `files`), or when it is a keyword or reserved; a collision also brings it back (`_settle`)."""
    name = naming.snake(operation_id)
    words, own = name.split("_"), "_".join(resource).split("_") if resource else []
    n = len(own)
    if not n or len(words) <= n or (n == 1 and own[0] in _VERBS):
        return name  # a tag that is a verb (`search`) is the method's verb too: `search_things`
    if _same_words(words[:n], own) and words[n] not in _CONNECTIVES:
        if _a_verb_not_the_resource(words, own):
            return name  # `inviteUser` under `invites`: `invite_user`, not `user`
        rest = words[n:]  # (`DedicatedHsm_Get` under `dedicated_hsms` too)
    elif _same_words(words[1 : n + 1], own) and (
        words[0] in _METHOD_VERBS if len(words) == n + 1 else words[n + 1] not in _CONNECTIVES
    ):
        rest = [words[0], *words[n + 1 :]]  # (`listFiles` under `files`: `list`)
    else:
        return name
    if rest == ["get"] and listing:  # `getStations` answering a collection: `stations.list`
        rest = ["list"]
    candidate = "_".join(rest)
    if not candidate.isidentifier() or candidate[0].isdigit() or candidate in reserved | _KEYWORDS:
        return name
    return candidate


def _same_words(words: list[str], own: list[str]) -> bool:
    """The same words, a plural and its singular alike (`hsm`, `hsms`; `policy`, `policies`;
    `batch`, `batches`)."""
    return len(words) == len(own) and all(
        a == b or _singular(a) == _singular(b) or f"{a}es" == b or f"{b}es" == a
        for a, b in zip(words, own, strict=True)
    )


def _a_verb_not_the_resource(words: list[str], own: list[str]) -> bool:
    """Whether the id's first word, which only names the resource as its singular or plural, is
    a verb acting on what follows: `inviteUser` under `invites` invites a user, `exportReport`
    under `exports` exports a report. What is left after it would name the object, not the
    action (`invites.user`), so the id stays whole. A word spelled as the resource is (Slack's
    `users_conversations`), or a verb after it (`DedicatedHsm_Get`), is the resource's, and so
    is an HTTP method's word (Discourse's `postReplies` under `posts`: `posts.replies`)."""
    return (
        len(own) == 1
        and words[0] != own[0]
        and words[0] in _METHOD_VERBS - _HTTP_WORDS
        and words[1] not in _METHOD_VERBS
    )


_HTTP_WORDS = frozenset(["get", "post", "put", "patch"])


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _keyed(verb: str, key: PathKey) -> str:
    """A verb named for what the key's query or fragment adds: `retrieve_by_lat_and_lon`."""
    words = [verb]
    if key.bound:
        words += ["by", " and ".join(param for _, param in key.bound)]
    words += [value for _, value in key.constants]
    if key.fragment_word:
        words.append(key.fragment_word)
    elif key.fragment_pairs:
        words.append(key.fragment_pairs[0][1].rsplit(".", 1)[-1])
    return naming.snake(" ".join(words))


def _keyed_name(op: OperationDef, key: PathKey, verb: str) -> str:
    """An operation told apart by its key's fragment or query (`/#Action=RunInstances`): its
    operation id without a leading method (`GET_RunInstances`), else the fragment's value
    (`X-Amz-Target=Service.RunInstances`: `run_instances`), else `_keyed`."""
    if op.operation_id:
        stripped = re.sub(rf"^{op.method}[_\s-]+(?=\w)", "", _said(op), flags=re.I)
        return naming.snake(stripped)
    if key.fragment_pairs and not key.bound and not key.constants:
        return naming.snake(key.fragment_pairs[0][1].rsplit(".", 1)[-1])
    return _keyed(verb, key)


def _twins(ops: list[OperationDef]) -> None:
    """Operations of one path key and one name (AWS's GET and POST of each action): the first
    in spec order keeps the name, the others take their method as a suffix."""
    seen: set[tuple[str, tuple[str, ...], str]] = set()
    for op in ops:
        if (op.path, op.resource, op.name) in seen:
            op.name = f"{op.name}_{op.method}"
        seen.add((op.path, op.resource, op.name))


def _folders(paths: set[str]) -> dict[str, int]:
    """How many of `paths` start with each folder (a prefix ending in `/`): one pass instead of
    a scan of every path per operation (quadratic on specs with thousands of paths)."""
    count: dict[str, int] = defaultdict(int)
    for path in paths:
        i = path.find("/")
        while i >= 0:
            count[path[: i + 1]] += 1
            i = path.find("/", i + 1)
    return count


def _path_name(
    op: OperationDef,
    paths: set[str],
    below: dict[str, int],
    methods_on_path: dict[str, set[str]],
    is_list: bool,
    rpc: bool = False,
) -> tuple[tuple[str, ...], str]:
    segs = _segments(op.path)
    custom = _CUSTOM_METHOD.match(segs[-1]) if segs else None
    if custom:  # Google's custom methods: `/v1/{name}:cancel`, `/v1/photos:batchDelete`
        head = [] if _is_param(custom[1]) else [custom[1]]
        literal = [s for s in segs[:-1] if not _is_param(s)] + head
        return tuple(naming.snake(s) for s in literal) or ("root",), naming.snake(custom[2])
    literal = [s for s in segs if not _is_param(s)]
    if not literal:
        return ("root",), _verb_name(op, methods_on_path, is_list)
    last_is_param = _is_param(segs[-1])
    parent = "/" + "/".join(op.path.strip("/").split("/")[:-1])
    folder = op.path.rstrip("/") + "/"
    has_children = below.get(folder, 0) > (1 if op.path.startswith(folder) else 0)
    single = len(methods_on_path[op.path]) == 1
    is_action = (
        not last_is_param
        and len(literal) >= 2
        and single
        and not has_children
        and (
            rpc
            or parent in paths
            or _is_param(segs[-2])
            or naming.snake(segs[-1]).split("_")[0] in _VERBS | _NOT_CREATING  # `.../delete`
        )
    )
    if is_action:
        return tuple(naming.snake(s) for s in literal[:-1]), _action_name(op, literal[-1], is_list)
    resource = tuple(naming.snake(s) for s in literal)
    verb = _verb_name(op, methods_on_path, is_list)
    if op.method == "post" and op.operation_id:
        verb = _post_verb(_said(op), resource) or verb
    return resource, verb


def _action_name(op: OperationDef, segment: str, is_list: bool) -> str:
    """The method an action path's last segment names: the segment when it is a verb
    (`/charges/{id}/capture`: `capture`); a noun takes the operation id's leading verb, so
    `setStatus` on `PUT /things/{id}/status` is `set_status` (not `status`, which reads as a
    getter), `ListFollowers` on `/users/{u}/followers` `list_followers`. An id led by its own
    HTTP method (Stripe's `GetCreditNotesCreditNoteLines`, `DeleteSubscriptionsSubscription
    Discount`) says what that method does: `list_lines` (a collection), `delete_discount`; a
    POST keeps the segment (`PostQuotesQuoteFinalize`: `finalize`). Without a verb the segment
    alone (English verbs are an open list: `render` is one)."""
    name = naming.snake(segment)
    words = name.split("_")
    if words[0] in _VERBS | _NOT_CREATING | _METHOD_VERBS or not op.operation_id:
        return name
    verb = naming.snake(_said(op)).split("_")[0]
    if verb == op.method:
        verb = {"get": "list" if is_list else "get", "put": "update", "patch": "update"}.get(
            verb, verb if verb == "delete" else ""
        )
    if verb not in _VERBS | _NOT_CREATING | _METHOD_VERBS or verb in words:
        return name
    return f"{verb}_{name}"


def _post_verb(operation_id: str, resource: tuple[str, ...]) -> str | None:
    """A POST whose operation id starts with a verb that creates nothing (AWS's
    `GetEffectivePolicies`, `ListAuditFindings` on `POST /audit/findings`): the method is named
    by the id, `get` or `list` alone when the rest of the id only repeats the resource's words,
    else the whole id. None keeps the HTTP verb's name (`create`, `update`)."""
    words = naming.snake(operation_id).split("_")
    if words[0] not in _NOT_CREATING:
        return None
    known = {w.removesuffix("s") for part in resource for w in part.split("_")}
    if all(w.removesuffix("s") in known for w in words[1:]):
        return words[0]
    name = "_".join(words)
    return name if name.isidentifier() and name not in _KEYWORDS else None


def _verb_name(op: OperationDef, methods_on_path: dict[str, set[str]], is_list: bool) -> str:
    item = _is_param(_segments(op.path)[-1]) if _segments(op.path) else False
    both_put_patch = {"put", "patch"} <= methods_on_path[op.path]
    match op.method:
        case "get":
            return "list" if not item and (is_list or _says_list(op)) else "retrieve"
        case "post":
            return "update" if item else "create"
        case "put":
            return "replace" if both_put_patch else "update"
        case "patch":
            return "update"
        case "delete":
            return "delete"
        case other:  # `query` (OpenAPI 3.2), a method of `additionalOperations` (`COPY`)
            return naming.snake(other)


def _says_list(op: OperationDef) -> bool:
    """An operationId that starts with the word `list` (`listThings`, `list_pets`): the
    provider calls it a list even when its response has no paging field to tell."""
    return naming.snake(_said(op)).split("_")[0] == "list" if op.operation_id else False


def _path_words(segments: list[str]) -> list[str]:
    """`/pets/{petId}/photo` -> pets by petId photo: a parameter reads as `by <name>`."""
    return [f"by {s}" if _is_param(s) else s for s in segments]


def _fallback_name(op: OperationDef) -> str:
    if op.operation_id:
        return naming.snake(op.operation_id)
    return naming.snake(" ".join([op.method, *_path_words(_segments(op.path))]))


def _settle(
    ops: list[OperationDef], reserved_client: set[str], reserved_resource: set[str]
) -> None:
    """Make every call path unique and clear of reserved attribute names."""
    # Top-level resource names must not shadow the client's own attributes.
    for op in ops:
        if op.resource and op.resource[0] in reserved_client | _KEYWORDS:
            op.resource = (op.resource[0] + "_api", *op.resource[1:])
        op.resource = tuple(
            r + "_api" if i and r in reserved_resource | _KEYWORDS else r
            for i, r in enumerate(op.resource)
        )
        if op.name in reserved_resource | _KEYWORDS:
            op.name += "_"
    for _ in range(3):
        children: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for op in ops:
            for i in range(1, len(op.resource)):
                children[op.resource[:i]].add(op.resource[i])
        seen: dict[tuple[tuple[str, ...], str], list[OperationDef]] = defaultdict(list)
        for op in ops:
            seen[(op.resource, op.name)].append(op)
        changed = False
        for (resource, name), group in seen.items():
            clash_child = name in children.get(resource, set())
            if len(group) > 1 or clash_child:
                for op in group:
                    new = _fallback_name(op)
                    if new in reserved_resource | _KEYWORDS:
                        new += "_"
                    if new == op.name or new in children.get(resource, set()):
                        new = naming.snake(f"{op.method} {op.name}")
                    if new != op.name:
                        op.name = new
                        changed = True
        if not changed:
            break
    # Last resort for identical fallbacks (operation ids missing or repeated), and for a name
    # a sub-resource still has after three rounds (a hostile spec's tags `pets.get_photos`,
    # `pets.get_get_photos`...: a method and a property of one name, ruff F811 and mypy's
    # internal error): qualify by path.
    kids: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for op in ops:
        for i in range(1, len(op.resource)):
            kids[op.resource[:i]].add(op.resource[i])
    final: dict[tuple[tuple[str, ...], str], list[OperationDef]] = defaultdict(list)
    for op in ops:
        final[(op.resource, op.name)].append(op)
    taken = {key for key, group in final.items() if len(group) == 1 and key[1] not in kids[key[0]]}
    taken |= {(resource, kid) for resource, names in kids.items() for kid in names}
    for (resource, name), group in final.items():
        if len(group) > 1 or name in kids[resource]:  # the whole path tells them apart
            for op in group:
                words = _path_words([s for s in op.path.split("/") if s])
                name = naming.snake(" ".join([op.method, *words]))
                while (resource, name) in taken:
                    name += "_alt"
                taken.add((resource, name))
                op.name = name


_KEYWORDS = frozenset(keyword.kwlist)
# Verbs a method may be named by alone once the resource is cut from after them (`listFiles`
# under `files`: `list`); another first word keeps the whole id (`text_response` under
# `responses` is no `responses.text`)
_METHOD_VERBS = frozenset(
    [
        "ack",
        "activate",
        "add",
        "approve",
        "archive",
        "assign",
        "attach",
        "authorize",
        "block",
        "bulk",
        "cancel",
        "claim",
        "clone",
        "close",
        "complete",
        "configure",
        "confirm",
        "copy",
        "count",
        "create",
        "deactivate",
        "decline",
        "delete",
        "deny",
        "detach",
        "disable",
        "download",
        "duplicate",
        "edit",
        "enable",
        "export",
        "fetch",
        "find",
        "generate",
        "get",
        "import",
        "invite",
        "list",
        "lock",
        "login",
        "logout",
        "merge",
        "modify",
        "move",
        "mute",
        "open",
        "patch",
        "pause",
        "post",
        "publish",
        "purge",
        "put",
        "query",
        "read",
        "refresh",
        "reject",
        "remove",
        "rename",
        "replace",
        "reset",
        "resend",
        "restart",
        "restore",
        "resume",
        "retrieve",
        "revoke",
        "run",
        "search",
        "send",
        "set",
        "show",
        "start",
        "stop",
        "submit",
        "subscribe",
        "suspend",
        "sync",
        "test",
        "unarchive",
        "unassign",
        "unblock",
        "unlock",
        "unmute",
        "unpublish",
        "unsubscribe",
        "update",
        "upload",
        "upsert",
        "validate",
        "verify",
        "view",
    ]
)
# Words a method name cannot start with once the resource is cut from before them
# (`streams_by_account` under `stream` stays whole: `by_account` names nothing)
_CONNECTIVES = frozenset(["and", "by", "for", "from", "id", "in", "of", "on", "to", "with"])
# The first word of a POST's operation id that says it creates nothing (`_post_verb`)
_NOT_CREATING = frozenset(
    [
        "calculate",
        "check",
        "compute",
        "count",
        "delete",
        "describe",
        "estimate",
        "evaluate",
        "fetch",
        "find",
        "get",
        "list",
        "lookup",
        "preview",
        "query",
        "read",
        "remove",
        "search",
        "test",
        "update",
        "validate",
        "verify",
    ]
)
# Tags that name an action rather than a thing: a method under one keeps its whole id
_VERBS = frozenset(
    [
        "analyze",
        "calculate",
        "check",
        "compute",
        "convert",
        "create",
        "delete",
        "detect",
        "download",
        "execute",
        "export",
        "find",
        "generate",
        "get",
        "import",
        "list",
        "login",
        "logout",
        "lookup",
        "parse",
        "predict",
        "process",
        "query",
        "register",
        "render",
        "run",
        "search",
        "send",
        "submit",
        "subscribe",
        "sync",
        "translate",
        "update",
        "upload",
        "validate",
        "verify",
    ]
)
