"""The deployment CA and the certificates of the services and their callers, for mutual
TLS between them (`make run`, the tests, `make compose-secrets`).

    python -m devtools.service_pki init --dir run/tls
    python -m devtools.service_pki compose-secrets --dir run/compose-secrets

Each identity gets <name>.pem (its certificate, CN=<name>) and <name>.key. The services'
certificates name them as servers too (DNS <name>, localhost, 127.0.0.1), for compose and
for local runs; in Kubernetes, cert-manager issues them instead. Keys are made here, at
run time, and never committed. Re-running `init` keeps what exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import secrets
import shutil
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from services.common import tls

SERVICES = ("auth", "portal", "roles", "primaweb")
# Callers only: the gateway; the commune (card unblocking); the federal access manager;
# the SPP Intégration sociale; ops (probes, the launcher's health checks).
CLIENTS = ("gateway", "commune", "access-manager", "spp-is", "ops")
# Web servers (TLS for browsers): the terminator of the certificate login, for a fresh
# host name under eid.localhost at each attempt (see devtools/terminator.py); the same
# certificate serves the Kubernetes dev overlay's certificate Ingress.
WEB_SERVERS = {"terminator": ("eid.localhost", "*.eid.localhost", "*.eid.portal.ssp-dev.localhost")}
CA_NAME = "SSP Demo Deployment CA"
VALIDITY = dt.timedelta(days=825)


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write(path: Path, data: bytes, private: bool = False) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600 if private else 0o644)
    os.replace(tmp, path)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _ca(folder: Path, key_folder: Path, now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = folder / "ca.pem", key_folder / "ca.key"
    if cert_path.exists() and key_path.exists():
        return (x509.load_pem_x509_certificate(cert_path.read_bytes()),
                serialization.load_pem_private_key(key_path.read_bytes(), None))  # type: ignore[return-value]
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + VALIDITY * 2)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(key_path, _key_pem(key), private=True)
    _write(cert_path, _pem(cert))
    return cert, key


def issue(ca_cert, ca_key, name: str, *, server: bool, now: dt.datetime | None = None,
          extra_dns: tuple[str, ...] = ()) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    now = now or dt.datetime.now(dt.UTC)
    key = _key()
    usages = [ExtendedKeyUsageOID.CLIENT_AUTH] + ([ExtendedKeyUsageOID.SERVER_AUTH] if server else [])
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
    )
    if server:
        sans = [x509.DNSName(d) for d in (name, "localhost", *extra_dns)]
        sans.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


# The Kubernetes dev overlay's names (namespace ssp-dev), so one set serves compose and dev.
K8S_DEV_NAMES = ("{name}.ssp-dev.svc", "{name}.ssp-dev.svc.cluster.local")


def init(folder: Path, ca_key_folder: Path | None = None) -> list[str]:
    """The CA and every identity's certificate; returns the names made now. The CA key
    stays in `ca_key_folder` (default: beside the certificates)."""
    key_folder = ca_key_folder or folder
    for path in {folder, key_folder}:
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)
    now = dt.datetime.now(dt.UTC)
    ca_cert, ca_key = _ca(folder, key_folder, now)
    made = []
    for name in (*SERVICES, *CLIENTS, *WEB_SERVERS):
        if (folder / f"{name}.pem").exists() and (folder / f"{name}.key").exists():
            continue
        dns = WEB_SERVERS.get(name) or tuple(n.format(name=name) for n in K8S_DEV_NAMES)
        cert, key = issue(ca_cert, ca_key, name, server=name in SERVICES or name in WEB_SERVERS, now=now,
                          extra_dns=dns)
        _write(folder / f"{name}.key", _key_pem(key), private=True)
        _write(folder / f"{name}.pem", _pem(cert))
        made.append(name)
    return made


def tls_env(folder: Path, identity: str) -> dict[str, str]:
    """The environment that gives a process `identity` over mutual TLS."""
    ca, cert, key = tls.paths_in(folder, identity)
    return {"TLS_CA_FILE": str(ca), "TLS_CERT_FILE": str(cert), "TLS_KEY_FILE": str(key)}


def compose_secrets(folder: Path) -> None:
    """The files docker-compose.yml reads as secrets (see deploy/README.md). Readable by the
    containers' users (10001, and 70 for postgres), the folder itself private to its owner."""
    init(folder / "tls", ca_key_folder=folder / "ca")
    for path in (folder / "tls").iterdir():
        path.chmod(0o644)
    folder.chmod(0o700)
    (folder / "tls").chmod(0o755)

    def keep(name: str, make) -> str:
        path = folder / name
        if not path.exists():
            _write(path, make().encode())
        path.chmod(0o644)
        return path.read_text().strip()

    keep("gateway-secret-key", lambda: secrets.token_hex(32))
    keep("postgres-password", lambda: secrets.token_urlsafe(24))
    for service in ("roles", "primaweb"):
        password = keep(f"{service}-db-password", lambda: secrets.token_urlsafe(24))
        keep(f"{service}-database-url",
             lambda s=service, p=password: f"postgresql+psycopg://{s}:{p}@postgres:5432/{s}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("init", "compose-secrets"):
        commands.add_parser(name).add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "init":
        made = init(args.dir)
        print(f"{args.dir}: " + (f"made {', '.join(made)}" if made else "nothing to do"))
    else:
        compose_secrets(args.dir)
        print(f"{args.dir}: compose secrets ready")


if __name__ == "__main__":
    shutil.os.umask(0o077)  # nothing made here is meant for other users unless said so
    main()
