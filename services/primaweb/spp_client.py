"""A small example client of the SPP IS side (ssp.primaweb.v1.SppIntegration), for the
federal teams: list the forms the CPAS sent, answer one.

    python -m services.primaweb.spp_client list [--since 2026-03-01] [--page-token T] [--page-size 100] [--all]
    python -m services.primaweb.spp_client answer --form <form id> --accept [--reason ...]
    python -m services.primaweb.spp_client answer --form <form id> --reject --reason "..." [--request-id ID]

It talks to PRIMAWEB_ADDR (default 127.0.0.1:50054). With TLS_CA_FILE, TLS_CERT_FILE and
TLS_KEY_FILE set it uses mutual TLS: the certificate must be the SPP IS's ("spp-is"), the
only identity allowed on SppIntegration (`python -m devtools.service_pki init` makes one).

`list` prints one form per line, then the page token to resume from: store it, and pass
it as --page-token next time to get exactly the forms sent since (none missed, none
twice). --since is only a starting point for a first run. `answer` prints the request id
it used: re-running with the same --request-id after a timeout is safe (the first answer
is replayed, never recorded twice).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import UTC, datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from services.common import config
from services.common.grpc_channels import make_channel
from ssp.primaweb.v1 import primaweb_pb2 as pb
from ssp.primaweb.v1 import primaweb_pb2_grpc

STATUS = {pb.FORM_STATUS_SENT: "sent", pb.FORM_STATUS_ACCEPTED: "accepted", pb.FORM_STATUS_REJECTED: "rejected"}


def _since(value: str) -> Timestamp:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected an ISO date or time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def _line(form: pb.Form) -> str:
    sent = form.sent_at.ToDatetime(tzinfo=UTC).isoformat(timespec="seconds")
    corrects = f" corrects {form.corrects_form_id}" if form.corrects_form_id else ""
    return (f"{form.form_id}  {sent}  CPAS {form.entity_id}  file {form.file_number}  {form.nrn}  "
            f"{form.last_name}, {form.first_name}  {form.period_start}..{form.period_end}  "
            f"{form.total_amount} EUR  {STATUS.get(form.status, '?')}{corrects}")


def list_forms(stub, args) -> None:
    token = args.page_token
    while True:
        request = pb.ListSentFormsRequest(page_token=token, page_size=args.page_size)
        if not token and args.since is not None:
            request.since.CopyFrom(args.since)
        page = stub.ListSentForms(request)
        for form in page.forms:
            print(_line(form))
        token = page.next_page_token
        if not (args.all and page.more):
            break
    print(f"next page token: {token}" + ("  (more waiting: run again with it)" if page.more else ""))


def answer(stub, args) -> None:
    request_id = args.request_id or str(uuid.uuid4())
    print(f"request id: {request_id}")
    done = stub.AnswerForm(pb.AnswerFormRequest(
        request_id=request_id, form_id=args.form, answer=pb.ANSWER_ACCEPTED if args.accept else pb.ANSWER_REJECTED,
        reason=args.reason, answered_by=args.by))
    print(("replayed: " if done.replayed else "") + _line(done.form))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.primaweb.spp_client", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="the forms sent by the CPAS, in sending order")
    listing.add_argument("--since", type=_since, help="first run: forms sent from this date or time (UTC)")
    listing.add_argument("--page-token", default="", help="resume after the forms already seen")
    listing.add_argument("--page-size", type=int, default=100)
    listing.add_argument("--all", action="store_true", help="follow the pages until none is waiting")
    answering = commands.add_parser("answer", help="accept or reject a sent form, once")
    answering.add_argument("--form", required=True, help="the form id (UUID)")
    outcome = answering.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--accept", action="store_true")
    outcome.add_argument("--reject", action="store_true")
    answering.add_argument("--reason", default="", help="required with --reject")
    answering.add_argument("--by", default="", help="the SPP IS officer answering (default: SPP IS)")
    answering.add_argument("--request-id", default="", help="idempotency key; default: a new UUID")
    args = parser.parse_args(argv)

    target = config.env_str("PRIMAWEB_ADDR", "127.0.0.1:50054")
    channel = make_channel(target, timeout=config.env_float("GRPC_TIMEOUT", 10.0))
    stub = primaweb_pb2_grpc.SppIntegrationStub(channel)
    try:
        (list_forms if args.command == "list" else answer)(stub, args)
    except grpc.RpcError as exc:
        print(f"{exc.code().name}: {exc.details()}", file=sys.stderr)
        return 1
    finally:
        channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
