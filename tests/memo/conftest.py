from __future__ import annotations

import shutil

import pytest

from facilitator.memo import build_memo
from facilitator.storage import Store, open_db
from tests.memo import seminar as seminar_module


@pytest.fixture(scope="session")
def seminar_file(tmp_path_factory):
    """The every-method seminar, built once: (database file, event id)."""
    path = tmp_path_factory.mktemp("seminar") / "seminar.db"
    return path, seminar_module.build(path)


@pytest.fixture
def seminar(seminar_file, tmp_path):
    """A copy of the seminar to read (and, if a test must, change): (store, event id)."""
    path, event_id = seminar_file
    copy = tmp_path / "seminar.db"
    shutil.copy(path, copy)
    return Store(open_db(copy)), event_id


@pytest.fixture
def seminar_memo(seminar):
    store, event_id = seminar
    return build_memo(store, event_id)
