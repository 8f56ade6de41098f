"""A federal client calling the roles service with its own certificate (mutual TLS).

The access-management application of the federal side grants a quality to a person for a
CPAS, acting for that CPAS's access manager. Its identity is the common name of its
certificate ("access-manager"); the roles service allows that identity on the
ssp.roles.v1.AccessManagement methods only.

With `make run` running (certificates in ./run/tls):

    .venv/bin/python examples/federal_access_manager.py \\
        --acting 75110213797 --entity 0999000129 \\
        --person 91010112319 --first Zoé --last Demo-Exemple --quality action-sociale

Elsewhere, point --tls-dir (or TLS_CA_FILE / TLS_CERT_FILE / TLS_KEY_FILE) at your files
and --target at the roles service (host:port).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from services.common import tls  # noqa: E402
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="127.0.0.1:50053")
    parser.add_argument("--tls-dir", type=Path, default=Path("run/tls"))
    parser.add_argument("--identity", default="access-manager")
    parser.add_argument("--acting", required=True, help="NRN of the entity's access manager")
    parser.add_argument("--entity", required=True, help="enterprise number, 10 digits")
    parser.add_argument("--person", required=True, help="NRN of the person")
    parser.add_argument("--first", default="")
    parser.add_argument("--last", default="")
    parser.add_argument("--quality", default="action-sociale")
    args = parser.parse_args()

    files = tls.files_from_env() or tls.files_in(args.tls_dir, args.identity)
    if files is None:
        sys.exit(f"no certificate for {args.identity!r} in {args.tls_dir} (run `make run` first)")
    with grpc.secure_channel(args.target, tls.channel_credentials(files)) as channel:
        stub = roles_pb2_grpc.AccessManagementStub(channel)
        try:
            membership = stub.GrantQuality(roles_pb2.QualityRequest(
                acting_nrn=args.acting, enterprise_number=args.entity, person_nrn=args.person,
                first_name=args.first, last_name=args.last, quality_id=args.quality,
            ), timeout=10)
        except grpc.RpcError as exc:
            print(f"refused: {exc.code().name}: {exc.details()}", file=sys.stderr)
            return 1
    print(f"granted {membership.quality_id} for {membership.entity.name} ({membership.entity.enterprise_number})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
