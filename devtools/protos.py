"""Regenerate the Python code of the gRPC contracts in proto/ (`make proto`).

`python -m devtools.protos --check` regenerates into a temporary folder and fails when
the committed code differs, so that CI catches a contract edited without regeneration.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "proto"
# proto/ssp/<service>/v1/*.proto generates the importable package ssp.<service>.v1.
GENERATED_DIR = ROOT / "ssp"


def generate(out_root: Path) -> None:
    well_known = resources.files("grpc_tools") / "_proto"
    for proto in sorted(PROTO_DIR.rglob("*.proto")):
        args = [
            "protoc",
            f"-I{PROTO_DIR}",
            f"-I{well_known}",
            f"--python_out={out_root}",
            f"--pyi_out={out_root}",
            f"--grpc_python_out={out_root}",
            str(proto.relative_to(PROTO_DIR)),
        ]
        if protoc.main(args) != 0:
            sys.exit(f"protoc failed on {proto}")


def _differences(left: Path, right: Path) -> list[str]:
    cmp = filecmp.dircmp(left, right, ignore=["__pycache__"])
    diffs = [str(left / n) for n in cmp.left_only + cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, cmp.common_files, shallow=False)
    diffs += [str(left / n) for n in mismatch + errors]
    for sub in cmp.common_dirs:
        diffs += _differences(left / sub, right / sub)
    return diffs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if ssp/ is stale")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        fresh = Path(tmp) / "ssp"
        if args.check:
            stale = _differences(GENERATED_DIR, fresh) if GENERATED_DIR.exists() else ["ssp/"]
            if stale:
                sys.exit("Generated gRPC code is stale, run `make proto`:\n  " + "\n  ".join(stale))
            print("Generated gRPC code is current.")
            return
        shutil.rmtree(GENERATED_DIR, ignore_errors=True)
        shutil.copytree(fresh, GENERATED_DIR)
        print(f"Regenerated {GENERATED_DIR.relative_to(ROOT)}/ from proto/.")


if __name__ == "__main__":
    main()
