"""Mutual TLS between the services: which files, and who is calling.

Every gRPC listener requires a client certificate from the deployment CA when
TLS_CA_FILE, TLS_CERT_FILE and TLS_KEY_FILE are set (`make run`, the tests' stack,
compose and Kubernetes all set them). A caller's identity is the common name of its
certificate ("gateway", "spp-is", ...); each service allows each method to a list of
identities (CallerPolicy), and refuses the others with PERMISSION_DENIED.
"""

from __future__ import annotations

import fnmatch
import json
import os
from dataclasses import dataclass
from pathlib import Path

import grpc

from services.common import config

ANY_AUTHENTICATED = "*"  # any holder of a certificate from the deployment CA (probes, tools)
HEALTH_AND_REFLECTION = ("/grpc.health.v1.Health/*", "/grpc.reflection.v1alpha.ServerReflection/*",
                         "/grpc.reflection.v1.ServerReflection/*")


@dataclass(frozen=True)
class TlsFiles:
    ca: bytes
    cert: bytes
    key: bytes


def files_from_env() -> TlsFiles | None:
    names = ("TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE")
    paths = [config.env_str(n, "") for n in names]
    if not any(paths):
        return None
    missing = [n for n, p in zip(names, paths, strict=True) if not p]
    if missing:
        raise config.ConfigError(f"{', '.join(missing)}: mutual TLS needs the CA, the certificate and its key")
    try:
        ca, cert, key = (Path(p).read_bytes() for p in paths)
    except OSError as exc:
        raise config.ConfigError(f"TLS files: cannot read {exc.filename} ({exc.strerror})") from None
    return TlsFiles(ca=ca, cert=cert, key=key)


def paths_in(folder: Path, identity: str) -> tuple[Path, Path, Path]:
    """CA, certificate and key of `identity` in a folder made by devtools.service_pki."""
    return folder / "ca.pem", folder / f"{identity}.pem", folder / f"{identity}.key"


def files_in(folder: Path, identity: str) -> TlsFiles | None:
    paths = paths_in(folder, identity)
    if not all(p.exists() for p in paths):
        return None
    return TlsFiles(*(p.read_bytes() for p in paths))


def server_credentials(files: TlsFiles) -> grpc.ServerCredentials:
    return grpc.ssl_server_credentials([(files.key, files.cert)], root_certificates=files.ca,
                                       require_client_auth=True)


def channel_credentials(files: TlsFiles) -> grpc.ChannelCredentials:
    return grpc.ssl_channel_credentials(root_certificates=files.ca, private_key=files.key,
                                        certificate_chain=files.cert)


def caller_identity(context: grpc.ServicerContext) -> str | None:
    """The common name of the verified client certificate, or None over plaintext."""
    names = context.auth_context().get("x509_common_name") or []
    return names[0].decode() if names else None


class CallerPolicy:
    """Per-method allow-lists: {"/pkg.Service/Method" or "/pkg.Service/*": [identities]}.

    Health and reflection are open to any authenticated caller. A method matched by no
    rule is refused (closed by default). The environment variable GRPC_ALLOWED_CALLERS
    (JSON of the same shape) replaces a service's defaults.
    """

    def __init__(self, rules: dict[str, list[str]]):
        self.rules = {**{m: [ANY_AUTHENTICATED] for m in HEALTH_AND_REFLECTION}, **rules}

    @classmethod
    def from_env(cls, defaults: dict[str, list[str]]) -> CallerPolicy:
        raw = os.environ.get("GRPC_ALLOWED_CALLERS", "")
        if not raw:
            return cls(defaults)
        try:
            rules = json.loads(raw)
            if not (isinstance(rules, dict) and all(isinstance(v, list) for v in rules.values())):
                raise ValueError
        except ValueError:
            raise config.ConfigError('GRPC_ALLOWED_CALLERS: expected JSON like {"/pkg.Svc/*": ["gateway"]}') from None
        return cls(rules)

    def allows(self, method: str, identity: str) -> bool:
        exact = self.rules.get(method)
        candidates = exact if exact is not None else next(
            (ids for pattern, ids in self.rules.items() if fnmatch.fnmatchcase(method, pattern)), [])
        return ANY_AUTHENTICATED in candidates or identity in candidates
