"""The client search's index on SQLite: an FTS5 table with the trigram tokenizer over the searched
fields, kept in step with clients_client by triggers.

It is (re)built after every `migrate` rather than by a migration: SQLite alters a table by copying it
into a new one, which drops the table's triggers, so a later migration of Client would silently stop
the index from following edits. Recreating the triggers and rebuilding the index after migrating
costs a fraction of a second at tens of thousands of clients. PostgreSQL uses trigram indexes
instead (migration 0003).
"""

TABLE = "clients_client_search"


# Written out in full: the statements hold no value from outside this file.
STATEMENTS = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS clients_client_search
       USING fts5(first_name, last_name, preferred_name, email, phone,
                  content='clients_client', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER IF NOT EXISTS clients_client_search_insert AFTER INSERT ON clients_client BEGIN
         INSERT INTO clients_client_search(rowid, first_name, last_name, preferred_name, email, phone)
         VALUES (new.id, new.first_name, new.last_name, new.preferred_name, new.email, new.phone);
       END""",
    """CREATE TRIGGER IF NOT EXISTS clients_client_search_delete AFTER DELETE ON clients_client BEGIN
         INSERT INTO clients_client_search(
           clients_client_search, rowid, first_name, last_name, preferred_name, email, phone)
         VALUES ('delete', old.id, old.first_name, old.last_name, old.preferred_name, old.email, old.phone);
       END""",
    """CREATE TRIGGER IF NOT EXISTS clients_client_search_update AFTER UPDATE ON clients_client BEGIN
         INSERT INTO clients_client_search(
           clients_client_search, rowid, first_name, last_name, preferred_name, email, phone)
         VALUES ('delete', old.id, old.first_name, old.last_name, old.preferred_name, old.email, old.phone);
         INSERT INTO clients_client_search(rowid, first_name, last_name, preferred_name, email, phone)
         VALUES (new.id, new.first_name, new.last_name, new.preferred_name, new.email, new.phone);
       END""",
    # Rebuilt from the clients every time: rows copied by a table rebuild had no trigger to follow.
    "INSERT INTO clients_client_search(clients_client_search) VALUES ('rebuild')",
)


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in STATEMENTS:
            cursor.execute(statement)


def after_migrate(sender, using, **kwargs):
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and "clients_client" in connection.introspection.table_names():
        install(connection)


def phrase(word: str) -> str:
    """`word` as an FTS5 string: with the trigram tokenizer, any column containing it, in any case."""
    return '"' + word.replace('"', '""') + '"'
