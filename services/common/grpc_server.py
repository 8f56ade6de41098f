"""The one place where gRPC servers are built: thread pool, health and reflection,
request-id propagation and call logging, graceful stop on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.common import config, logs, metrics, tls

log = logging.getLogger(__name__)

# Registers the servicers on the server and returns their full service names,
# e.g. "ssp.portal.v1.PortalCatalogue", which health and reflection then announce.
_HEALTH_PREFIX = "/grpc.health.v1.Health/"  # probes every few seconds: not worth a log line

Registrar = Callable[[grpc.Server], Iterable[str]]

# Threads per server. Few: Python runs one of them at a time, and on 2 cores 16 threads cost
# ~15 % more CPU per call than 4 in thread switching (bench/load.py, home views at 32 users:
# 4.4 ms against 5.0 ms of CPU per view, 435 against 375 views/s). 2 were slower again.
# Every wait inside a call is bounded (Redis, database, PKCS#11), so a thread comes back.
DEFAULT_THREADS = 4


class _Malformed:
    """What a request that could not be parsed becomes, so that the call is refused with
    INVALID_ARGUMENT and one log line (grpcio would log a traceback and answer INTERNAL)."""

    def __init__(self, error: Exception):
        self.error = error


def _tolerant(deserializer):
    if deserializer is None:
        return None

    def parse(data: bytes):
        try:
            return deserializer(data)
        except Exception as exc:  # noqa: BLE001 (protobuf raises DecodeError, or others on odd input)
            return _Malformed(exc)

    return parse


class _CallContextInterceptor(grpc.ServerInterceptor):
    """Runs each unary call with the caller's request id, checks the caller against the
    method's allow-list (over mutual TLS), refuses malformed messages, and logs and
    measures its outcome. An exception that no servicer mapped is INTERNAL with the
    request id as reference (never UNKNOWN with Python's message)."""

    def __init__(self, policy: tls.CallerPolicy | None):
        self.policy = policy
        # One wrapped handler per method, made at its first call: the servicers are fixed
        # once the server runs, and making a handler (and metric children) per call cost
        # as much CPU as a small servicer method.
        self._handlers: dict[str, grpc.RpcMethodHandler] = {}

    def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        cached = self._handlers.get(method)
        if cached is not None:
            return cached
        handler = continuation(handler_call_details)
        if handler is None:
            return handler
        if handler.unary_unary is not None:
            wrapped = grpc.unary_unary_rpc_method_handler(
                self._wrap(method, handler.unary_unary),
                request_deserializer=_tolerant(handler.request_deserializer),
                response_serializer=handler.response_serializer,
            )
        elif handler.unary_stream is not None:
            wrapped = grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(method, handler.unary_stream),
                request_deserializer=_tolerant(handler.request_deserializer),
                response_serializer=handler.response_serializer,
            )
        elif handler.stream_stream is not None:  # reflection
            wrapped = grpc.stream_stream_rpc_method_handler(
                self._wrap_stream(method, handler.stream_stream),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        else:  # no method of ours streams its requests alone: refused rather than unchecked
            return None
        self._handlers[method] = wrapped
        return wrapped

    def _admit(self, method: str, caller: str | None, context) -> None:
        """Aborts the call (PERMISSION_DENIED) unless the policy lets this caller call it."""
        if self.policy is not None and (caller is None or not self.policy.allows(method, caller)):
            service, short = metrics.split_method(method)
            metrics.GRPC_REFUSED_CALLERS.labels(service, short).inc()
            log.warning("caller_refused", extra={"method": method, "caller": caller or "-"})
            context.abort(grpc.StatusCode.PERMISSION_DENIED, f"{caller or 'an anonymous caller'} may not call {method}")

    def _wrap_stream(self, method: str, behaviour):
        """A stream of answers: admitted like a call, logged when it opens and ends."""

        def wrapped(request, context):
            rid = next((v for k, v in context.invocation_metadata() or () if k == logs.REQUEST_ID_HEADER), "-")
            logs.request_id.set(rid[:64])
            caller = tls.caller_identity(context)
            self._admit(method, caller, context)
            if isinstance(request, _Malformed):  # a stream of requests is read by the servicer
                log.warning("malformed_request", extra={"method": method, "error": type(request.error).__name__})
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"not a valid request message for {method}")
            log.info("grpc_stream_open", extra={"method": method, "caller": caller or "-"})
            try:
                yield from behaviour(request, context)
            finally:
                log.info("grpc_stream_end", extra={"method": method, "caller": caller or "-",
                                                   "code": getattr(context.code(), "name", "OK")})

        return wrapped

    def _wrap(self, method: str, behaviour):
        service, short = metrics.split_method(method)
        seconds = metrics.GRPC_SECONDS.labels(service, short)
        handled: dict[str, object] = {}
        level = logging.DEBUG if method.startswith(_HEALTH_PREFIX) else logging.INFO

        def wrapped(request, context):
            rid = next((v for k, v in context.invocation_metadata() or () if k == logs.REQUEST_ID_HEADER), "-")
            token = logs.request_id.set(rid[:64])
            started = time.perf_counter()
            caller = tls.caller_identity(context)
            malformed = isinstance(request, _Malformed)
            try:
                self._admit(method, caller, context)
                if malformed:  # said once, in the call's own line below
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"not a valid request message for {method}")
                try:
                    return behaviour(request, context)
                except Exception:
                    if context.code() is not None:  # context.abort() raised: the status is set
                        raise
                    log.exception("unexpected_error", extra={"method": method})
                    context.abort(grpc.StatusCode.INTERNAL, f"internal error, reference {rid[:64]}")
            finally:
                code = context.code() or grpc.StatusCode.OK
                code_name = getattr(code, "name", str(code))
                elapsed = time.perf_counter() - started
                counter = handled.get(code_name)
                if counter is None:
                    counter = handled[code_name] = metrics.GRPC_HANDLED.labels(service, short, code_name)
                counter.inc()
                seconds.observe(elapsed)
                extra = {"method": method, "code": code_name, "caller": caller or "-", "ms": round(elapsed * 1000, 2)}
                if malformed:
                    log.warning("malformed_request", extra={**extra, "error": type(request.error).__name__})
                else:
                    log.log(level, "grpc_call", extra=extra)
                logs.request_id.reset(token)

        return wrapped


class RunningServer:
    """A started server with its health servicer; `stop()` drains calls in flight."""

    def __init__(self, server: grpc.Server, health_servicer: health.HealthServicer, port: int):
        self.server = server
        self.health = health_servicer
        self.port = port

    def stop(self, grace: float = 5.0) -> None:
        # Tell load balancers first, then let calls in flight finish within `grace`.
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()


def start(
    register: Registrar,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    max_workers: int = DEFAULT_THREADS,
    tls_files: tls.TlsFiles | None = None,
    policy: tls.CallerPolicy | None = None,
) -> RunningServer:
    """Build and start a server; port 0 picks a free one (tests).

    With `tls_files`, the listener requires a client certificate from the CA, and
    `policy` (required then) says which caller may call which method.
    """
    if tls_files is not None and policy is None:
        raise ValueError("mutual TLS needs a caller policy")
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers),
        interceptors=[_CallContextInterceptor(policy if tls_files is not None else None)],
        options=[("grpc.so_reuseport", 0)],
    )
    names = list(register(server))
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    address = f"{host}:{port}"
    if tls_files is not None:
        bound = server.add_secure_port(address, tls.server_credentials(tls_files))
    else:
        bound = server.add_insecure_port(address)
    if bound == 0:
        raise SystemExit(f"cannot listen on {host}:{port}: address in use or not allowed")
    server.start()
    for name in ["", *names]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(server, health_servicer, bound)


def serve_forever(running: RunningServer | list[RunningServer], name: str, grace: float = 5.0) -> None:
    """Block until SIGTERM or SIGINT, then stop every listener gracefully."""
    servers = running if isinstance(running, list) else [running]
    stopping = threading.Event()

    def on_signal(signum, _frame):
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("serving", extra={"server": name, "ports": [s.port for s in servers]})
    stopping.wait()
    for s in servers:
        s.stop(grace)
    log.info("stopped", extra={"server": name})


def service_names(file_descriptor, *services: str) -> list[str]:
    """Full names ("ssp.roles.v1.Roles") of services declared in a generated *_pb2 module."""
    return [file_descriptor.services_by_name[s].full_name for s in services]


def start_from_env(register: Registrar, *, host_variable: str = "GRPC_HOST", port_variable: str,
                   default_port: int, default_host: str = "127.0.0.1",
                   callers: dict[str, list[str]], extra_threads: int = 0) -> RunningServer:
    """A listener configured by the environment: address, mutual TLS files, caller lists.
    `extra_threads`: on top of GRPC_THREADS, for streams that hold a thread while open."""
    files = tls.files_from_env()
    if files is None:
        log.warning("tls_off", extra={"detail": "plaintext gRPC: callers are not authenticated"})
    return start(
        register,
        host=config.env_str(host_variable, default_host),
        port=config.env_int(port_variable, default_port),
        max_workers=config.env_int("GRPC_THREADS", DEFAULT_THREADS, minimum=1) + extra_threads,
        tls_files=files,
        policy=tls.CallerPolicy.from_env(callers),
    )


def health_listener_from_env(running: RunningServer) -> RunningServer | None:
    """A plaintext listener with the health service only, on HEALTH_HOST:HEALTH_PORT when
    set: Kubernetes' gRPC probes cannot present a client certificate. It shares the main
    listener's health state, so a graceful stop shows there too."""
    port = config.env_int("HEALTH_PORT", 0)
    if not port:
        return None
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(running.health, server)
    host = config.env_str("HEALTH_HOST", "127.0.0.1")
    if server.add_insecure_port(f"{host}:{port}") == 0:
        raise SystemExit(f"cannot listen on {host}:{port} (HEALTH_PORT)")
    server.start()
    return RunningServer(server, running.health, port)


def run(name: str, register: Registrar, *, port_variable: str, default_port: int,
        callers: dict[str, list[str]]) -> None:
    """The whole life of a one-listener service process: logs, metrics, listen, serve, stop."""
    logs.setup(name, config.env_str("LOG_LEVEL", "INFO"))
    metrics.serve_from_env()
    running = start_from_env(register, port_variable=port_variable, default_port=default_port, callers=callers)
    serve_forever([running, *filter(None, [health_listener_from_env(running)])], name)
