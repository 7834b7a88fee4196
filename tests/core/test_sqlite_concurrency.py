"""Concurrent writers on SQLite wait for each other instead of failing (a file database, on every CI pass)."""

import threading
import time

from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import ConnectionHandler, OperationalError

from apprenance.settings import SQLITE_OPTIONS


def connect(path, options, alias):
    """A connection to a database file of the test's own, configured as the product's."""
    settings_dict = ConnectionHandler().configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    )["default"]
    return DatabaseWrapper(settings_dict, alias=alias)


def read_then_write(path, options, errors):
    wrapper = connect(path, options, "concurrency")
    try:
        wrapper.ensure_connection()
        wrapper.set_autocommit(True)
        wrapper._start_transaction_under_autocommit()  # what transaction.atomic() does
        cursor = wrapper.cursor()
        cursor.execute("SELECT value FROM counter")
        (value,) = cursor.fetchone()
        time.sleep(0.2)  # both transactions have read before either writes
        cursor.execute("UPDATE counter SET value = %s", [value + 1])
        wrapper.commit()
    except OperationalError as error:
        errors.append(str(error))
    finally:
        wrapper.close()


def run_two_writers(tmp_path, options):
    path = tmp_path / "concurrency.sqlite3"
    setup = connect(path, options, "setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (value INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors = []
    threads = [threading.Thread(target=read_then_write, args=(path, options, errors)) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    check = connect(path, options, "check")
    with check.cursor() as cursor:
        cursor.execute("SELECT value FROM counter")
        (value,) = cursor.fetchone()
    check.close()
    return errors, value


def test_the_second_writer_waits_for_the_first(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a database of the test's own, outside the test database
        errors, value = run_two_writers(tmp_path, SQLITE_OPTIONS)
    assert errors == []
    assert value == 2


def test_without_immediate_transactions_the_same_writers_fail(tmp_path, django_db_blocker):
    """The control: it shows the test above would notice a configuration that lets writers fail."""
    with django_db_blocker.unblock():
        errors, value = run_two_writers(tmp_path, {**SQLITE_OPTIONS, "transaction_mode": "DEFERRED"})
    assert errors == ["database is locked"]
    assert value == 1
