"""Hypothesis strategies for the fuzzing layer: any proto message from its descriptor,
and text that is sometimes a value the services know (so that fuzzing reaches past the
first format check), and what a fuzzed stack's log must not hold."""

from __future__ import annotations

import json
import re

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message_factory import GetMessageClass
from hypothesis import strategies as st

from demo.people import BY_PERSONA

# Values the services know: national register numbers, enterprise numbers, codes, dates,
# file numbers, ids. Card numbers are left out on purpose: random PINs would block them.
KNOWN_VALUES = [
    *(p.nrn for p in BY_PERSONA.values()),
    "0999000129", "0999000327", "0403170701",
    "primaweb", "agent-social", "gestion-primaweb", "action-sociale", "consultation", "rapports",
    "encodage-ris", "envoi-formulaires", "professionnels", "cpas", "fr", "nl", "de", "en", "xx",
    "2026/000001", "2026-000001", "2026-02-30", "2025-12-31", "9999-12-31", "0000-00-00",
    "1263.17", "-1", "0", "1e9", "2147483648", "9223372036854775808", "99999999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "", " ", "\x00", "../../etc/passwd", "<script>", "' OR 1=1 --", "%s%n", "\u202e", "é" * 300,
]

_INT_RANGES = {
    FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_FIXED32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1),
    FieldDescriptor.TYPE_FIXED64: (0, 2**64 - 1),
}


def text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(KNOWN_VALUES), st.text(max_size=40), st.text(max_size=3000))


def integer(low: int, high: int) -> st.SearchStrategy[int]:
    """The whole range, with its edges and small numbers more often."""
    edges = [low, high, 0, 1, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1]
    return st.one_of(st.sampled_from([e for e in edges if low <= e <= high]), st.integers(-3, 200),
                     st.integers(low, high)).filter(lambda n: low <= n <= high)


def _scalar(field: FieldDescriptor, depth: int) -> st.SearchStrategy:
    kind = field.type
    if kind in _INT_RANGES:
        return integer(*_INT_RANGES[kind])
    if kind == FieldDescriptor.TYPE_ENUM:
        numbers = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(numbers), integer(-(2**31), 2**31 - 1))  # unknown values too
    if kind == FieldDescriptor.TYPE_STRING:
        return text()
    if kind == FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=256)
    if kind == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return st.floats(allow_nan=True, width=32 if kind == FieldDescriptor.TYPE_FLOAT else 64)
    if kind == FieldDescriptor.TYPE_MESSAGE:
        return messages(field.message_type, depth + 1)
    raise NotImplementedError(field.full_name)


def messages(descriptor: Descriptor, depth: int = 0) -> st.SearchStrategy:
    """Any message of the type: each field present or not, with any value of its type."""
    cls = GetMessageClass(descriptor)
    if depth > 3:
        return st.just(cls())
    optional = {}
    for field in descriptor.fields:
        value = _scalar(field, depth)
        optional[field.name] = st.lists(value, max_size=5) if field.is_repeated else value

    def build(values: dict) -> object:
        message = cls()
        for name, value in values.items():
            target = getattr(message, name)
            field = descriptor.fields_by_name[name]
            if field.is_repeated and field.type == FieldDescriptor.TYPE_MESSAGE:
                for item in value:
                    target.add().CopyFrom(item)
            elif field.is_repeated:
                target.extend(value)
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                target.CopyFrom(value)
            else:
                setattr(message, name, value)
        return message

    return st.fixed_dictionaries({}, optional=optional).map(build)


def problems_in_log(output: str) -> list[str]:
    """Lines of a stack's output that a fuzzed input must never cause: a traceback, an
    unexpected error, a gRPC call that ended UNKNOWN or INTERNAL, a 500."""
    found = []
    for line in output.splitlines():
        if "Traceback" in line or '"unexpected_error"' in line or "Logging error" in line:
            found.append(line)
            continue
        payload = line.split("| ", 1)[-1]
        if payload.startswith("{"):
            try:
                event = json.loads(payload)
            except ValueError:
                continue
            if event.get("code") in ("UNKNOWN", "INTERNAL") or event.get("status") == 500:
                found.append(line)
        elif re.search(r'" 500 ', payload):
            found.append(line)
    return found
