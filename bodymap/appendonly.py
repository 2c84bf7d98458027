"""Database triggers that make a table append-only.

Records with legal weight (the audit log, consent, signed notes) must survive a bug or a
careless script, so the database itself refuses UPDATE and DELETE on them, not only the ORM.
The operations live in `bodymap.integrity.operations`; migrations import them from here.
"""

from bodymap.integrity.operations import AppendOnly, LockedOnceSet

__all__ = ["AppendOnly", "LockedOnceSet"]
