"""The runner's own templates, kept in the database as template JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from legtimer.plans import Template, builtins, find_builtin, template_from_json, template_to_json
from legtimer.store.db import Database, iso, utc_now


class TemplateExists(ValueError):
    pass


def program_key(conn: sqlite3.Connection, name: str) -> str:
    """The key a program's sessions and choices are filed under: a built-in's name (built-ins
    are never renamed), the id of the runner's template of that name, or, for a template that
    is no longer there, the name itself."""
    builtin = find_builtin(name)
    if builtin is not None:
        return builtin.name
    row = conn.execute("SELECT uid FROM templates WHERE name = ?", (name,)).fetchone()
    return str(row[0]) if row is not None else name


def free_uid(conn: sqlite3.Connection, uid: object) -> str | None:
    """`uid` if it is an id no template holds yet (so a template brought back gets its own
    again), else None (the insert trigger then gives a new one)."""
    if not isinstance(uid, str) or not uid:
        return None
    taken = conn.execute("SELECT 1 FROM templates WHERE uid = ?", (uid,)).fetchone()
    return None if taken else uid


def _read(row: sqlite3.Row) -> Template:
    return replace(template_from_json(json.loads(row["json"])), key=row["uid"])


class TemplateStore:
    def __init__(self, db: Database, now: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.now = now

    def user_templates(self) -> list[Template]:
        rows = self.db.conn.execute("SELECT json, uid FROM templates ORDER BY name COLLATE NOCASE")
        return [_read(r) for r in rows]

    def all(self) -> list[Template]:
        """Built-ins first, then the runner's own."""
        return [*builtins(), *self.user_templates()]

    def find(self, name: str) -> Template | None:
        builtin = find_builtin(name)
        if builtin is not None:
            return builtin
        row = self.db.conn.execute(
            "SELECT json, uid FROM templates WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else _read(row)

    def save(self, template: Template, *, replace: bool = False) -> None:
        """Add a template, or with `replace` overwrite the runner's template of that name.
        A template that carries a key no other template holds (one brought back after a
        delete) gets it back, and with it its program progress."""
        if find_builtin(template.name) is not None:
            raise TemplateExists(
                f"{template.name!r} is a built-in template; save yours under another name"
            )
        doc = json.dumps(template_to_json(template), ensure_ascii=False)
        stamp = iso(self.now())
        with self.db.transaction() as conn:
            try:
                conn.execute(
                    "INSERT INTO templates (name, kind, json, created_at, updated_at, uid) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        template.name,
                        template.kind.value,
                        doc,
                        stamp,
                        stamp,
                        free_uid(conn, template.key),
                    ),
                )
            except sqlite3.IntegrityError:
                if not replace:
                    raise TemplateExists(
                        f"a template named {template.name!r} already exists"
                    ) from None
                conn.execute(
                    "UPDATE templates SET name = ?, kind = ?, json = ?, updated_at = ? "
                    "WHERE name = ?",
                    (template.name, template.kind.value, doc, stamp, template.name),
                )

    def rename(self, old: str, new: str) -> Template:
        """Give the runner's template `old` the name `new`; the renamed template is returned."""
        template = self.find(old)
        if template is None or template.builtin:
            raise TemplateExists(f"{old!r} is not one of your templates")
        renamed = replace(template, name=new.strip())
        self.update(renamed, old)
        return renamed

    def update(self, template: Template, original: str) -> None:
        """Write the runner's template `original` as `template`, its name and content in one
        statement. A program keeps its progress: it is filed under the template's id, which
        the rename keeps (each session still shows the name it was run under)."""
        existing = self.find(original)
        if existing is None or existing.builtin:
            raise TemplateExists(f"{original!r} is not one of your templates")
        new = template.name
        if not new.strip():
            raise ValueError("a template needs a name")
        if new.casefold() != original.casefold() and self.find_casefold(new) is not None:
            raise TemplateExists(f"a template named {new!r} already exists")
        doc = json.dumps(template_to_json(template), ensure_ascii=False)
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE templates SET name = ?, kind = ?, json = ?, updated_at = ? WHERE name = ?",
                (new, template.kind.value, doc, iso(self.now()), original),
            )

    def find_casefold(self, name: str) -> Template | None:
        folded = name.casefold()
        return next((t for t in self.all() if t.name.casefold() == folded), None)

    def delete(self, name: str) -> Template | None:
        """Remove the runner's template; returns it so the caller can offer undo."""
        template = self.find(name)
        if template is None or template.builtin:
            return None
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM templates WHERE name = ?", (name,))
        return template
