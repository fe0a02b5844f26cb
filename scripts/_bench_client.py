"""`make bench` worker: one measurement of a client library, run in a FRESH interpreter.

Run by scripts/_bench_targets.py with the bench venv's python; prints one JSON object.

    _bench_client.py import  SPEC_JSON   import + Client() + resolving methods (CPU s)
    _bench_client.py first   SPEC_JSON   time to the first response, from interpreter start
    _bench_client.py percall SPEC_JSON   CPU per call vs plain httpx + Model.model_validate_json
                                         (a TypeAdapter when the method returns a union)
    _bench_client.py serve   BODIES_JSON a canned keep-alive HTTP server on 127.0.0.1 (prints
                                         its port; answers by longest path prefix)

The import and first modes take the clock before anything but `sys`/`time` is imported, so the
floor (`import httpx; from pydantic import BaseModel`) and the clients pay the same overhead.
"""

import sys
import time

_CPU0 = time.process_time()  # reset by main() once its argument is parsed
_WALL0 = time.perf_counter()


def _emit(payload: dict[str, object]) -> None:
    import json

    print(json.dumps(payload), flush=True)


def _client(package: str, base_url: str) -> object:
    module = __import__(package)
    return module.Client(base_url=base_url, api_key="sk_test_bench")


def _walk(root: object, dotted: str) -> object:
    for part in dotted.split(".") if dotted else ():
        root = getattr(root, part)
    return root


def mode_import(spec: dict[str, object]) -> None:
    kind = spec["kind"]
    if kind == "floor":
        import httpx  # noqa: F401
        from pydantic import BaseModel  # noqa: F401
    elif kind == "apigen":
        sys.path.insert(0, str(spec["path"]))
        resource = _walk(_client(str(spec["package"]), "http://127.0.0.1:9"), str(spec["resource"]))
        for method in spec["methods"]:  # type: ignore[attr-defined]
            getattr(resource, method)
    elif kind == "stripe-python":
        import stripe

        client = stripe.StripeClient("sk_test_bench")
        _walk(getattr(client, "v1", client), "customers").retrieve  # noqa: B018
    elif kind == "openai":
        import openai

        openai.OpenAI(api_key="sk-bench").chat.completions.create  # noqa: B018
    else:
        raise SystemExit(f"unknown kind {kind}")
    _emit({"cpu": time.process_time() - _CPU0, "wall": time.perf_counter() - _WALL0})


def mode_first(spec: dict[str, object]) -> None:
    kind, url = spec["kind"], str(spec["url"])
    if kind == "apigen":
        sys.path.insert(0, str(spec["path"]))
        client = _client(str(spec["package"]), url)
        method = _walk(client, str(spec["call"]))
        result = method(*spec.get("args", []), **spec.get("kwargs", {}))  # type: ignore[operator]
    elif kind == "floor":  # what httpx + pydantic cost before any client code: one GET, one model
        import httpx
        from pydantic import BaseModel

        class Customer(BaseModel):
            id: str

        # verify=False: no CA bundle load (~25 ms) for this http:// URL, as apigen's lazy TLS
        # context (runtime _tls.py) and stripe-python skip it too
        with httpx.Client(base_url=url, verify=False) as http:
            response = http.get(str(spec["route"]), headers={"Authorization": "Bearer sk_bench"})
        result = Customer.model_validate_json(response.content)
    elif kind == "stripe-python":
        import stripe

        stripe.api_base = url
        stripe.api_key = "sk_test_bench"
        result = stripe.Customer.retrieve(*spec.get("args", ["cus_123"]))  # type: ignore[call-overload]
    else:
        raise SystemExit(f"unknown kind {kind}")
    cpu, wall = time.process_time() - _CPU0, time.perf_counter() - _WALL0
    _emit({"cpu": cpu, "wall": wall, "type": type(result).__name__})


def mode_percall(spec: dict[str, object]) -> None:
    """Interleaved rounds of plain httpx + validating the declared type and the generated client."""
    import asyncio

    import httpx

    sys.path.insert(0, str(spec["path"]))
    package = __import__(str(spec["package"]))
    from functools import reduce
    from operator import or_

    from pydantic import BaseModel, TypeAdapter

    # The floor parses into the method's declared return type: one model with
    # ``Model.model_validate_json``; a union (Stripe ``customers.retrieve`` returns ``Customer |
    # DeletedCustomer``, which the generated client must tell apart) with a ``TypeAdapter``.
    models = __import__(f"{spec['package']}.models", fromlist=["x"])
    types = [getattr(models, name.strip()) for name in str(spec["model"]).split("|")]
    if len(types) == 1 and issubclass(types[0], BaseModel):
        parse = types[0].model_validate_json
    else:
        parse = TypeAdapter(reduce(or_, types)).validate_json
    url, route = str(spec["url"]), str(spec["route"])
    headers = {"Authorization": "Bearer sk_test_bench"}
    args, kwargs = list(spec.get("args", [])), dict(spec.get("kwargs", {}))  # type: ignore[call-overload]
    calls, rounds, concurrency = int(spec["n"]), int(spec["rounds"]), int(spec["concurrency"])  # type: ignore[call-overload]
    per_round = max(concurrency, calls // rounds)
    samples: dict[str, list[float]] = {"httpx": [], "apigen": []}

    if spec["mode"] == "sync":
        plain = httpx.Client(base_url=url)
        generated = package.Client(base_url=url, api_key="sk_test_bench")
        method = _walk(generated, str(spec["call"]))

        def raw() -> object:
            response = plain.get(route, headers=headers)
            response.raise_for_status()
            return parse(response.content)

        def ours() -> object:
            return method(*args, **kwargs)

        contenders = {"httpx": raw, "apigen": ours}
        for call in contenders.values():  # warm up pools, pydantic, lazy imports
            for _ in range(50):
                call()
        for _ in range(rounds):
            for name, call in contenders.items():
                start = time.process_time()
                for _ in range(per_round):
                    call()
                samples[name].append((time.process_time() - start) / per_round)
        plain.close()
        generated.close()
    else:

        async def main() -> None:
            # the pool the generated AsyncClient opens (runtime DEFAULT_LIMITS): 100 connections,
            # all kept alive (httpx's default keeps 20: reconnects at concurrency 50)
            pool = httpx.Limits(max_connections=100, max_keepalive_connections=100)
            plain = httpx.AsyncClient(base_url=url, limits=pool)
            generated = package.AsyncClient(base_url=url, api_key="sk_test_bench")
            method = _walk(generated, str(spec["call"]))

            async def raw() -> object:
                response = await plain.get(route, headers=headers)
                response.raise_for_status()
                return parse(response.content)

            async def ours() -> object:
                return await method(*args, **kwargs)

            async def worker(call: object, count: int) -> None:
                for _ in range(count):
                    await call()  # type: ignore[operator]

            each = max(1, per_round // concurrency)
            contenders = {"httpx": raw, "apigen": ours}
            fast_http = _aiohttp_client(pool)
            if fast_http is not None:  # the documented faster transport (README "Faster transport")
                fast = package.AsyncClient(
                    base_url=url, api_key="sk_test_bench", http_client=fast_http
                )
                fast_method = _walk(fast, str(spec["call"]))

                async def ours_fast() -> object:
                    return await fast_method(*args, **kwargs)

                contenders["apigen-aiohttp"] = ours_fast
                samples["apigen-aiohttp"] = []
            for call in contenders.values():
                await asyncio.gather(*(worker(call, 2) for _ in range(concurrency)))
            for _ in range(rounds):
                for name, call in contenders.items():
                    start = time.process_time()
                    await asyncio.gather(*(worker(call, each) for _ in range(concurrency)))
                    samples[name].append((time.process_time() - start) / (each * concurrency))
            await plain.aclose()
            await generated.close()
            if fast_http is not None:
                await fast.close()
                await fast_http.aclose()  # a client passed in stays open when ours closes

        asyncio.run(main())
    best = {name: min(values) * 1e6 for name, values in samples.items()}
    _emit(
        {
            "httpx_us": best["httpx"],
            "apigen_us": best["apigen"],
            "apigen_aiohttp_us": best.get("apigen-aiohttp"),
            "calls": per_round * rounds,
        }
    )


def _aiohttp_client(pool: object) -> object:
    """An `httpx.AsyncClient` on httpx-aiohttp's transport (the `[fast]` extra), or None when it
    is not installed (the row then reads n/a)."""
    try:
        from httpx_aiohttp import AiohttpTransport
    except ImportError:
        return None
    import httpx

    return httpx.AsyncClient(transport=AiohttpTransport(limits=pool))


def mode_serve(bodies: dict[str, object]) -> None:
    import socket
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    encoded = sorted(
        ((prefix, str(body).encode()) for prefix, body in bodies.items()),
        key=lambda item: -len(item[0]),
    )

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            body = next((b for prefix, b in encoded if path.startswith(prefix)), None)
            status = 200 if body is not None else 404
            payload = body if body is not None else b'{"error": "no canned body"}'
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            )
            self.wfile.write(head.encode() + payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def main() -> None:
    import json
    from pathlib import Path

    mode, argument = sys.argv[1], sys.argv[2]
    spec = json.loads(Path(argument[1:]).read_text() if argument.startswith("@") else argument)
    global _CPU0, _WALL0
    _CPU0, _WALL0 = time.process_time(), time.perf_counter()
    {"import": mode_import, "first": mode_first, "percall": mode_percall, "serve": mode_serve}[
        mode
    ](spec)


if __name__ == "__main__":
    main()
