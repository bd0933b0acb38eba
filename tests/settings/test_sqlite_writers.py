"""`make run` on SQLite: writers that meet wait their turn instead of failing.

Six simultaneous API saves on the default SQLite set-up gave one 201 and five 500s ("database is
locked"): Django's deferred transactions take SQLite's write lock only at the first write, and a
reader that then needs it is refused at once. The settings make every transaction IMMEDIATE.
"""

import json
import threading
import time

from django.db.backends.sqlite3.base import DatabaseWrapper

from .test_environment import manage


def sqlite_settings(path) -> dict:
    shown = manage(
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))",
        DATABASE_URL=f"sqlite:///{path}",
    )
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout.strip().splitlines()[-1])


def test_two_writers_that_read_first_both_commit(tmp_path, django_db_blocker):
    # Connections of its own to a file of its own, not the test database.
    django_db_blocker.unblock()
    database = tmp_path / "prep.sqlite3"
    settings = sqlite_settings(database)
    settings.update({"NAME": str(database), "TIME_ZONE": None, "CONN_MAX_AGE": 0})
    setup = DatabaseWrapper(settings, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    setup.close()
    errors: list[Exception] = []

    def write(text: str) -> None:
        connection = DatabaseWrapper(settings, alias=text)
        try:
            with connection.cursor() as cursor:
                # How transaction.atomic() begins on SQLite (BEGIN, plus the transaction mode).
                connection._start_transaction_under_autocommit()
                # Read, think, then write: what a view saving a form does in one transaction.
                cursor.execute("SELECT count(*) FROM notes")
                time.sleep(0.3)
                cursor.execute("INSERT INTO notes (text) VALUES (%s)", [text])
                cursor.execute("COMMIT")
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            errors.append(exc)
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(f"note {n}",)) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()

    assert errors == []
    check = DatabaseWrapper(settings, alias="check")
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM notes")
        assert cursor.fetchone()[0] == 4
    check.close()
    django_db_blocker.restore()
