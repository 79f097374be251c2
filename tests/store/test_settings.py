"""Settings in the database file: defaults, a round trip through a reopened file, bad rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from legtimer.store.db import Database
from legtimer.store.settings import Settings, SettingsStore


def test_a_new_database_gives_the_defaults(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    store = SettingsStore(opened(tmp_path))
    assert store.load() == Settings()
    assert store.problems == []


def test_saved_settings_survive_closing_the_file(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path)
    chosen = Settings(
        units="mph",
        sound=False,
        beeps=False,
        countdown_lead=5,
        voice=True,
        volume=35,
        backend="off",
        flash=True,
        theme="light",
        font_scale=1.3,
        sessions_per_week=4,
    )
    SettingsStore(db).save(chosen)
    db.close()
    assert SettingsStore(opened(tmp_path)).load() == chosen


def test_a_bad_row_falls_back_to_its_default_alone(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path)
    store = SettingsStore(db)
    store.save(Settings(units="mph", volume=40))
    with db.transaction() as conn:
        conn.execute("UPDATE settings SET value = '7' WHERE key = 'countdown_lead'")
        conn.execute("UPDATE settings SET value = 'loud' WHERE key = 'volume'")
        conn.execute("INSERT INTO settings VALUES ('from_a_newer_version', '1')")
    loaded = store.load()
    assert loaded == Settings(units="mph")  # lead and volume back to their defaults
    assert store.problems == [
        "Setting countdown_lead: 7 is not one of 3, 5; using the default.",
        "Setting volume: 'loud' is not readable; using the default.",
    ]
    # The unknown key is left for the version that wrote it.
    kept = "SELECT value FROM settings WHERE key = 'from_a_newer_version'"
    assert db.conn.execute(kept).fetchone() is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"units": "furlongs"}, "units: 'furlongs' is not one of kmh, mph"),
        ({"volume": 101}, "volume: 101 is not a whole number from 0 to 100"),
        ({"volume": True}, "volume: True is not a whole number from 0 to 100"),
        ({"beeps": 1}, "beeps: 1 is not true or false"),
        ({"sessions_per_week": 0}, "sessions_per_week: 0 is not one of 1, 2, 3, 4, 5, 6, 7"),
    ],
)
def test_settings_refuse_values_out_of_range(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings().with_(**change)


def test_the_desktop_colours_are_remembered_beside_the_settings(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path)
    store = SettingsStore(db)
    assert store.seen_desktop_colours() is None  # never asked
    store.remember_desktop_colours("light")
    store.save(Settings(theme="dark"))  # saving the settings keeps it
    db.close()
    reopened = SettingsStore(opened(tmp_path))
    assert reopened.seen_desktop_colours() == "light"
    assert reopened.load() == Settings(theme="dark")
    assert reopened.problems == []  # not taken for an unknown setting
    reopened.remember_desktop_colours("unknown")
    assert reopened.seen_desktop_colours() == "unknown"


def test_a_bad_remembered_desktop_colour_counts_as_never_seen(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path)
    store = SettingsStore(db)
    with pytest.raises(ValueError, match="'purple' are not one of dark, light, unknown"):
        store.remember_desktop_colours("purple")
    assert store.seen_desktop_colours() is None
    for stored in ('"purple"', "not json", "[1]"):
        with db.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('seen_desktop_colours', ?)",
                (stored,),
            )
        assert store.seen_desktop_colours() is None, stored


def test_home_texts_are_kept_beside_the_settings(
    tmp_path: Path, opened: Callable[[Path], Database]
) -> None:
    db = opened(tmp_path)
    store = SettingsStore(db)
    assert store.home_texts() is None  # never kept
    said = {"program": "Sprint 15/45 - week 2", "picks": [["HIIT 30/30", "HIIT 30/30\n20 min"]]}
    store.remember_home_texts(said)
    store.save(Settings(units="mph"))
    db.close()
    reopened = SettingsStore(opened(tmp_path))
    assert reopened.home_texts() == said
    assert reopened.load() == Settings(units="mph")
    assert reopened.problems == []  # not taken for an unknown setting
    with reopened.db.transaction() as conn:
        conn.execute("UPDATE settings SET value = '{not json' WHERE key = 'home_texts'")
    assert reopened.home_texts() is None  # unreadable: as if never kept
