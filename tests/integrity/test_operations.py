"""The guards are migration operations a migration file can hold, so squashing keeps them."""

import pytest
from django.db.migrations.writer import OperationWriter

from bodymap.integrity.operations import AppendOnly, LockedOnceSet, NoOverlap


@pytest.mark.parametrize(
    "operation",
    [
        AppendOnly("notes_functionalrating"),
        LockedOnceSet("notes_sessionnote", "signed_at"),
        NoOverlap("booking_appointment", "appointment_therapist_no_overlap"),
    ],
)
def test_it_writes_each_guard_as_a_named_operation(operation):
    text, imports = OperationWriter(operation).serialize()
    assert imports == {"import bodymap.integrity.operations"}
    rebuilt = eval(text.strip().rstrip(","), {"bodymap": __import__("bodymap.integrity.operations")})  # noqa: S307
    assert type(rebuilt) is type(operation)
    for vendor in ("sqlite", "postgresql"):
        assert rebuilt.install_sql(vendor) == operation.install_sql(vendor)
