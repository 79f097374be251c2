"""Checks of what a window looks like, measured on its pixels.

`contrast_problems` grabs the whole window once (so every label is seen on the background that
is really behind it, styled parents included) and, for each visible label, button, check box and
line edit with text, finds the background (the commonest colour in its box) and the text colour
(the colour, among those that cover a few pixels, furthest in contrast from that background),
then compares their WCAG contrast ratio with what the text's size needs. `layout_problems` finds
widgets that stick out of the window or are squeezed below the size their text needs.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QWidget,
)

#: WCAG 2 AA: 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold); AAA: 7:1.
AA, AA_LARGE, AAA = 4.5, 3.0, 7.0


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _pixels(image: QImage, box: QRect) -> Counter[tuple[int, int, int]]:
    """How many pixels of each colour `box` holds (`image` in Format_RGB32)."""
    box = box.intersected(image.rect())
    words = _words(image)
    stride = image.bytesPerLine() // 4
    counts: Counter[int] = Counter()
    for y in range(box.top(), box.bottom() + 1):
        start = y * stride + box.left()
        counts.update(words[start : start + box.width()])
    return Counter({((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF): n for v, n in counts.items()})


_WORDS: dict[int, array[int]] = {}


def _words(image: QImage) -> array[int]:
    """The image's pixels as 32-bit words (cached per image while it is checked)."""
    key = image.cacheKey()
    if key not in _WORDS:
        _WORDS.clear()
        words = array("I")
        words.frombytes(bytes(image.constBits()))
        _WORDS[key] = words
    return _WORDS[key]


def measured_contrast(image: QImage, box: QRect) -> float | None:
    """The contrast between the text in `box` and its background (None: no text there)."""
    counts = _pixels(image, box)
    if not counts:
        return None
    background, _ = counts.most_common(1)[0]
    # Anti-aliased edges blend the two colours; the glyphs' cores carry the text colour, on a
    # few pixels at least.
    total = sum(counts.values())
    floor = max(3, total // 2000)
    candidates = [c for c, n in counts.items() if n >= floor and c != background]
    if not candidates:
        return None
    return max(contrast(background, c) for c in candidates)


def _text_of(w: QWidget) -> str:
    if isinstance(w, QLabel):
        return w.text() if not w.pixmap() or w.pixmap().isNull() else ""
    if isinstance(w, QAbstractButton):
        return w.text()
    if isinstance(w, QLineEdit):
        return w.text() or w.placeholderText()
    return ""


def _text_widgets(root: QWidget) -> Iterable[QWidget]:
    kinds = (QLabel, QPushButton, QCheckBox, QRadioButton, QLineEdit)
    for w in root.findChildren(QWidget):
        if isinstance(w, kinds) and w.isVisibleTo(root) and _text_of(w).strip():
            yield w


def _needed(w: QWidget, strict: bool) -> float:
    if strict:
        return AAA
    font = w.font()
    px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
    large = px >= 24 or (px >= 18.66 and font.bold())
    return AA_LARGE if large else AA


def _box(root: QWidget, w: QWidget) -> QRect:
    top_left = w.mapTo(root, QPoint(0, 0))
    return QRect(top_left, w.size())


def contrast_problems(
    root: QWidget, *, strict: Iterable[QWidget] = (), skip: Iterable[QWidget] = ()
) -> list[str]:
    """Text whose contrast with its background is below WCAG AA (AAA for `strict` widgets
    and their children), as "objectName 'text': 1.45 < 4.5"."""
    image = root.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    strict_set = set(strict)
    skipped = set(skip)
    problems = []
    for w in _text_widgets(root):
        if w in skipped or not w.isEnabled():
            continue  # disabled controls are exempt from the contrast rules
        box = _box(root, w)
        # Inset, so the rounded corners of a styled box (the parent's colour shows there) are
        # not taken for text.
        inset = min(6, box.width() // 8, box.height() // 8)
        box = box.adjusted(inset, inset, -inset, -inset)
        if box.width() < 4 or box.height() < 4:
            continue
        ratio = measured_contrast(image, box)
        if ratio is None:
            continue
        under_strict = any(s is w or s.isAncestorOf(w) for s in strict_set)
        need = _needed(w, under_strict)
        if ratio < need - 0.05:
            name = w.objectName() or type(w).__name__
            problems.append(f"{name} {_text_of(w)[:40]!r}: {ratio:.2f} < {need}")
    return problems


def layout_problems(root: QWidget) -> list[str]:
    """Widgets that extend past the window, and text that does not fit its widget."""
    problems = []
    bounds = root.rect()
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.isWindow():
            continue
        box = _box(root, w)
        outside = box.width() > 0 and box.height() > 0 and not bounds.contains(box)
        # Inside a scroll area, content beyond the viewport is what scrolling is for.
        if outside and not _scrolled(w, root):
            name = w.objectName() or type(w).__name__
            problems.append(f"{name} sticks out: {box} not in {bounds}")
        if isinstance(w, QTableView):
            problems += _cut_columns(w)
        if isinstance(w, QLabel | QPushButton | QCheckBox) and _text_of(w).strip():
            need = w.minimumSizeHint()
            if isinstance(w, QLabel) and (w.wordWrap() or hasattr(w, "set_sample")):
                # A wrapping label needs its height for its width; a label that fits its font
                # to its box (FitLabel) always fits.
                if w.wordWrap() and w.heightForWidth(w.width()) > w.height() + 1:
                    problems.append(f"{w.objectName()} {_text_of(w)[:40]!r} cut off at the bottom")
                continue
            if w.width() + 1 < need.width() or w.height() + 1 < need.height():
                name = w.objectName() or type(w).__name__
                problems.append(
                    f"{name} {_text_of(w)[:40]!r} squeezed: {w.width()}x{w.height()} < "
                    f"{need.width()}x{need.height()}"
                )
    return problems


def _cut_columns(table: QTableView) -> list[str]:
    """Columns of a table whose title or rows (those shown) need more width than they have:
    their text is elided ("Vork done", "26 Nov 202...")."""
    out = []
    header = table.horizontalHeader()
    for c in range(header.count()):
        if header.isSectionHidden(c):
            continue
        width = table.columnWidth(c)
        title = header.sectionSizeFromContents(c).width()
        rows = table.sizeHintForColumn(c)
        if max(title, rows) > width + 1:
            name = table.model().headerData(c, Qt.Orientation.Horizontal)
            out.append(
                f"{table.objectName()} column {name!r} cut: needs {max(title, rows)}, has {width}"
            )
    return out


def _scrolled(w: QWidget, root: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = w.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False
