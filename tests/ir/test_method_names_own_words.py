"""A method's name does not repeat its resource's: `client.sites.restart_slot`, not
`client.sites.sites_restart_slot`.

Tagged specs named methods by their whole operation id, so Azure's `Group_Verb` ids, Slack's,
DigitalOcean's and gsmtasks' `resource_verb` ids and Kubernetes' `verbGroupVersionKind` ids
said the resource twice (3,495 methods in 65 of the shared specs); Google's dotted ids
(`service.resource.method`) also put the service's name in every method (a review of the
corpus' method names, 2026-12-05). A singular id under a plural tag (Azure's
`DedicatedHsm_Get` under `DedicatedHsms`, `listConversationItems` under `Conversations`) said it
too: plurals and singulars now match (774 more renames over the shared specs, none in Stripe,
GitHub or the committed petstore). A verb left alone names the method (`listFiles` under `files`:
`files.list`, openai-python's name; 1,209 more renames), and `get` of a collection is `list`.
Tags that all start with the API's version (Twilio's `MessagingV1AlphaSender`) lose it, as paths
do: `client.alpha_sender.list`, not `client.messaging_v1_alpha_sender.list_alpha_sender`.
A plural in -es matches its singular (`listBatches` under `Batch`: `batch.list`), and a verb that
only looks like the resource's word keeps the id whole (`inviteUser` under `Invites`:
`invites.invite_user`, not `invites.user`): 20 renames over the shared specs, none in Stripe,
GitHub or petstore.
"""

from __future__ import annotations

import pytest

from apigen import naming
from tests.builds import api_of, calls_of

_calls = calls_of


@pytest.mark.parametrize(
    ("op_id", "tag", "call"),
    [
        ("Sites_RestartSiteSlot", "Sites", "sites.restart_site_slot"),  # Azure
        ("admin_teams_list", "admin.teams", "admin_teams.list"),  # Slack
        ("contact_addresses_update", "contact_addresses", "contact_addresses.update"),
        ("patchCoreV1NamespacedService", "core_v1", "core_v1.patch_namespaced_service"),  # K8s
        ("get_files_id", "files", "files.get_files_id"),  # a bare id would be left: kept
        ("listPets", "pets", "pets.list"),  # the verb alone, as openai-python's `files.list`
        ("getPet", "pets", "pets.get"),
        ("text_response", "responses", "responses.text_response"),  # `text` is no verb: kept
        ("getPetOwner", "pets", "pets.get_owner"),
        ("pins_import", "pins", "pins.pins_import"),  # `import` is a keyword: kept
        ("searchThings", "search", "search.search_things"),  # the tag is the verb: kept
        ("pins_with_raw_response", "pins", "pins.pins_with_raw_response"),  # reserved: kept
        # a singular id under a plural tag, and the other way round
        (
            "DedicatedHsm_ListByResourceGroup",
            "DedicatedHsms",
            "dedicated_hsms.list_by_resource_group",
        ),
        ("listConversationItems", "Conversations", "conversations.list_items"),
        ("getCategoryDocs", "categories", "categories.get_docs"),
        ("accountsCreate", "Account", "account.create"),
        # what would be left starts with a connective: kept
        ("streamsByAccountUsingGET", "stream", "stream.streams_by_account_using_get"),
        ("getPetsForOwner", "pets", "pets.get_pets_for_owner"),
        # a plural in -es is the same word (OpenAI's `listBatches` under `Batch`)
        ("listBatches", "Batch", "batch.list"),
        ("createBatch", "batches", "batches.create"),
        ("getAddresses", "address", "address.get"),
        # a verb that only looks like the resource (`invite`, `invites`) acts on what follows
        ("inviteUser", "Invites", "invites.invite_user"),  # OpenAI; not `invites.user`
        ("exportReport", "Exports", "exports.export_report"),
        ("postReplies", "Posts", "posts.replies"),  # Discourse: `post` names the resource
        ("invites_list", "invites", "invites.list"),  # the tag's own word: cut
        ("invite_create", "invites", "invites.create"),  # a verb after it: the resource's
    ],
)
def test_the_resource_words_leave_the_method_name(op_id: str, tag: str, call: str) -> None:
    assert _calls([("post", "/x", op_id, tag)])[op_id] == call


def test_names_that_would_collide_keep_their_operation_ids() -> None:
    calls = _calls(
        [
            ("get", "/a", "Sites_List", "Sites"),  # `list` once `sites` is gone...
            ("get", "/b", "list", "Sites"),  # ...as this one is
            ("post", "/c", "Sites_Restart", "Sites"),
        ]
    )
    assert calls == {
        "Sites_List": "sites.sites_list",
        "list": "sites.get_list",
        "Sites_Restart": "sites.restart",
    }


def test_google_dotted_ids_give_the_resource_path_and_the_method() -> None:
    calls = _calls(
        [
            ("get", "/v1/transferJobs", "storagetransfer.transferJobs.list", "transferJobs"),
            (
                "get",
                "/v1/projects/{p}/agentPools",
                "storagetransfer.projects.agentPools.list",
                None,
            ),
            ("post", "/v1/{name}:cancel", "storagetransfer.transferOperations.cancel", None),
            ("get", "/v1/health", "storagetransfer.health", None),
        ]
    )
    assert calls == {
        "storagetransfer.transferJobs.list": "transfer_jobs.list",
        "storagetransfer.projects.agentPools.list": "projects.agent_pools.list",
        "storagetransfer.transferOperations.cancel": "transfer_operations.cancel",
        "storagetransfer.health": "storagetransfer.health",  # no resource would be left
    }


def test_get_of_a_collection_is_list() -> None:
    """`getStations` (train-travel) answering an array: `stations.list`, as a GET of a
    collection is named everywhere else; an item's `getStation` stays `get`."""
    array = {"type": "array", "items": {"type": "object"}}
    ok = {"description": "ok", "content": {"application/json": {"schema": array}}}
    one = {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
    item = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/stations": {
                "get": {
                    "operationId": "getStations",
                    "tags": ["Stations"],
                    "responses": {"200": ok},
                }
            },
            "/stations/{id}": {
                "get": {
                    "operationId": "getStation",
                    "tags": ["Stations"],
                    "parameters": [item],
                    "responses": {"200": one},
                }
            },
        },
    }
    api = api_of(document)
    calls = {op.operation_id: ".".join([*op.resource, op.name]) for op in api.operations}
    assert calls == {"getStations": "stations.list", "getStation": "stations.get"}


@pytest.mark.parametrize(
    ("tags", "ids", "calls"),
    [
        # Twilio: every tag starts with the API's name and version, its ids do not
        (
            ("MessagingV1AlphaSender", "MessagingV1Service"),
            ("ListAlphaSender", "FetchService"),
            ("alpha_sender.list", "service.fetch"),
        ),
        (
            ("Api20100401Account", "Api20100401Address"),
            ("ListAccount", "FetchAddress"),
            ("account.list", "address.fetch"),
        ),
        # shared words without a version stay; so does a version that would leave a tag empty
        (("BackupVaultConfigs", "BackupStorageConfigs"), ("ListIt", "FetchIt"), None),
        (("V2", "V2Users"), ("ListIt", "FetchIt"), None),
        (("V1Class", "V1Users"), ("ListIt", "FetchIt"), None),  # `class`: a keyword
    ],
)
def test_a_version_every_tag_starts_with_leaves_the_resource_names(
    tags: tuple[str, str], ids: tuple[str, str], calls: tuple[str, str] | None
) -> None:
    found = _calls([("get", "/a", ids[0], tags[0]), ("get", "/b/{id}", ids[1], tags[1])])
    resources = tuple(found[i].split(".")[0] for i in ids)
    if calls is None:  # each tag's own snake_case name
        assert resources == tuple(naming.snake(t) for t in tags)
    else:
        assert (found[ids[0]], found[ids[1]]) == calls


def test_an_id_that_only_says_its_http_method_is_named_as_the_verb() -> None:
    """Box's `post_folders` under `folders` was `folders.post(...)`, a name that reads as a
    raw request (115 methods named `post`, `put` or `patch` over the shared specs)."""
    calls = _calls(
        [
            ("post", "/folders", "post_folders", "folders"),  # Box
            ("post", "/api/Company", "Company_Post", "Company"),  # Avaza
            ("put", "/api/Company", "Company_Put", "Company"),
            ("put", "/ldap_service/{id}", "putLdapService", "ldap_service"),  # Rubrik
            ("patch", "/ldap_service/{id}", "patchLdapService", "ldap_service"),
            # DigitalOcean: the PUT's id says `update`; the PATCH keeps its own
            ("put", "/v2/projects/{project_id}", "projects_update", "Projects"),
            ("patch", "/v2/projects/{project_id}", "projects_patch", "Projects"),
        ]
    )
    assert calls == {
        "post_folders": "folders.create",
        "Company_Post": "company.create",
        "Company_Put": "company.update",
        "putLdapService": "ldap_service.replace",  # beside a PATCH, as on untagged paths
        "patchLdapService": "ldap_service.update",
        "projects_update": "projects.update",
        "projects_patch": "projects.patch",
    }


def test_dotted_and_path_named_methods_keep_an_http_verb_name() -> None:
    google = _calls(
        [
            ("patch", "/v1/{name}", "walletobjects.issuer.patch", "issuer"),
            ("get", "/v1/{name}/x", "walletobjects.issuer.get", "issuer"),
        ]
    )
    assert google["walletobjects.issuer.patch"] == "issuer.patch"  # Google's own name


def test_dotted_tags_nest_as_the_methods_the_provider_documents() -> None:
    """Slack tags `admin_apps_approved_list` `admin.apps.approved`: the client was
    `client.admin_apps_approved.list()`; Slack documents the method `admin.apps.approved.list`."""
    calls = _calls(
        [
            ("get", "/admin.apps.approved.list", "admin_apps_approved_list", "admin.apps.approved"),
            ("post", "/admin.apps.approve", "admin_apps_approve", "admin.apps"),
            ("post", "/chat.postMessage", "chat_postMessage", "chat"),
            ("get", "/files.remote.list", "files_remote_list", "files.remote"),
        ]
    )
    assert calls == {
        "admin_apps_approved_list": "admin.apps.approved.list",
        "admin_apps_approve": "admin.apps.approve",
        "chat_postMessage": "chat.post_message",
        "files_remote_list": "files.remote.list",
    }
    # one dotted tag is more likely a host name than a path of resources
    host = _calls([("get", "/extractors", "listExtractors", "extraction.import.io")])
    assert host == {"listExtractors": "extraction_import_io.list_extractors"}


def test_a_framework_s_suffix_is_not_part_of_the_name() -> None:
    """Springfox ids (`changePasswordUsingPOST`) and FastAPI's default ones
    (`read_item_items__item_id__get`) named methods `change_password_using_post` and
    `read_item_items_item_id_get` (EBI, VisageCloud, OpenAQ)."""
    calls = _calls(
        [
            # Springfox: its default tag names the Java class
            ("post", "/account/password", "changePasswordUsingPOST", "account-controller"),
            ("get", "/activities/{id}", "getUsingGET", "activities"),
            ("get", "/activities", "getAllUsingGET_1", "activities"),  # its numbered twin
            ("get", "/items/{item_id}", "read_item_items__item_id__get", "items"),  # FastAPI
            ("get", "/v1/cities", "cities_getv1_v1_cities_get", "cities"),
            # an id that only looks like one: another method, another path
            ("put", "/things", "saveUsingPOST", "things"),
            ("delete", "/things", "drop_stuff_get", "things"),
        ]
    )
    assert calls == {
        "changePasswordUsingPOST": "account.change_password",
        "getUsingGET": "activities.get",
        "getAllUsingGET_1": "activities.get_all",
        "read_item_items__item_id__get": "items.read",  # `item` repeats the resource
        "cities_getv1_v1_cities_get": "cities.getv1",
        "saveUsingPOST": "things.save_using_post",
        "drop_stuff_get": "things.drop_stuff_get",
    }
