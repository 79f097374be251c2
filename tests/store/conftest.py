from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from legtimer.store.db import Database, open_database


@pytest.fixture
def opened() -> Iterator[Callable[[Path], Database]]:
    """open_database, closing every database the test opened when it ends."""
    databases: list[Database] = []

    def open_(directory: Path) -> Database:
        db = open_database(directory)
        databases.append(db)
        return db

    yield open_
    for db in databases:
        db.close()
