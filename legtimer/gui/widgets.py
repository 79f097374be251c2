"""Small widgets shared by the views."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRect, QRectF, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from legtimer.gui.qtnames import ALIGN_CENTER, set_enum_property
from legtimer.plans.words import clock_text as clock_text  # the views' one time format


class UndoBar(QFrame):
    """ "Deleted X. [Undo]" for a while after a deletion (the views style #undoBar)."""

    undo_clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, button_name: str = "undoButton") -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.text = QLabel("", self)
        self.button = QPushButton("Undo", parent=self)
        self.button.setObjectName(button_name)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.button.clicked.connect(self.undo_clicked)
        self.hide()

    def offer(self, text: str, ms: int = 10000) -> None:
        self.text.setText(text)
        self.show()
        self._timer.start(ms)


_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


class FitLabel(QLabel):
    """A label whose font grows to fill its box: digits readable from the treadmill at any
    window size, from a small laptop window to full screen."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        weight: QFont.Weight = QFont.Weight.Bold,
        fill: float = 0.92,
        sample: str | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._weight = weight
        self._fill = fill
        #: Size the font for this text rather than the current one, so "9" and "59" (or
        #: "0:59") keep the same size as the seconds tick down.
        self._sample = sample
        #: What the font was last fitted for (text, size, family): nothing changed, no refit.
        self._fitted: FittedFor | None = None
        set_enum_property(self, "alignment", "AlignCenter")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(10, 10)

    def set_sample(self, sample: str | None) -> None:
        if sample != self._sample:
            self._sample = sample
            self._fit()

    def setText(self, text: str) -> None:
        if text == self.text():
            return  # the workout screen sets every label every second: no refit, no repaint
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        text = self._sample or self.text()
        self._fitted = fit_font(self, text, self._fill, self._weight, self._fitted)


class BigText(QWidget):
    """The workout screen's seconds: text that fills its box (as FitLabel), in colours of its
    own, opaque.

    Drawn by itself, not as a QLabel: Qt draws text above 64 px from its outlines at every
    paint, and a label repaints all of its box when its text changes. A new second here
    repaints only the characters that changed (the last digit, nine seconds in ten), and
    the box is filled by Qt from the palette (auto-fill), so Qt knows it is opaque and paints
    nothing beneath it."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        sample: str | None = None,
        fill: float = 0.92,
        weight: QFont.Weight = QFont.Weight.Bold,
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._sample = sample
        self._fill = fill
        self._weight = weight
        self._fitted: FittedFor | None = None
        self._colours: tuple[QColor, QColor] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(10, 10)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text == self._text:
            return
        old, self._text = self._text, text
        self.setAccessibleName(text)
        self._fit()
        self.update(self._changed(old, text))

    def set_sample(self, sample: str | None) -> None:
        if sample != self._sample:
            self._sample = sample
            self._fit()

    def set_colours(self, background: str, foreground: str) -> None:
        self._colours = (QColor(background), QColor(foreground))
        self._apply_colours()

    def _apply_colours(self) -> None:
        if self._colours is None:
            return
        background, foreground = self._colours
        palette = self.palette()
        wanted = {self.backgroundRole(): background, self.foregroundRole(): foreground}
        if any(palette.color(role) != colour for role, colour in wanted.items()):
            for role, colour in wanted.items():
                palette.setColor(role, colour)
            self.setPalette(palette)
        self.setAutoFillBackground(True)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Applying a style sheet restores the palette the widget had before the last one.
        if self._colours is not None and event.type() == QEvent.Type.StyleChange:
            self._apply_colours()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:
        # A painter on a widget starts with its font and its palette's text colour.
        painter = QPainter(self)
        painter.drawText(QRectF(self.rect()), ALIGN_CENTER, self._text)
        painter.end()

    def _fit(self) -> None:
        self._fitted = fit_font(
            self, self._sample or self._text, self._fill, self._weight, self._fitted
        )

    def _changed(self, old: str, new: str) -> QRect:
        """The part of the box where `old` and `new` differ: the columns of the characters that
        changed, or all of it when the text moved (another length or width)."""
        metrics = QFontMetricsF(self.font())
        width = metrics.horizontalAdvance(new)
        if len(old) != len(new) or metrics.horizontalAdvance(old) != width:
            return self.rect()
        differ = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        start = (self.width() - width) / 2
        left = start + metrics.horizontalAdvance(new[: differ[0]])
        right = start + metrics.horizontalAdvance(new[: differ[-1] + 1])
        reach = metrics.height() * 0.1  # a glyph may reach a little past its advance
        x = math.floor(left - reach)
        return QRect(x, 0, math.ceil(right + reach) - x, self.height())


#: What a font was fitted for: the text measured, the box's size, the font's family.
FittedFor = tuple[str, int, int, str]


def fit_font(
    widget: QWidget, text: str, fill: float, weight: QFont.Weight, fitted: FittedFor | None
) -> FittedFor | None:
    """Give `widget` the font size at which `text` fills `fill` of its box; returns what it was
    fitted for, which, passed back as `fitted`, spares measuring again while it holds (the
    same object is returned then).

    Sized for the text with its digits as zeros: digits are as wide as each other in the fonts
    the app uses, so "11:00 left" and "10:59 left" measure the same, and a label whose figures
    change every second is measured again only when its shape changes."""
    text = text.translate(_DIGITS_AS_ZERO) or "0"
    key = (text, widget.width(), widget.height(), widget.font().family())
    if key == fitted:
        return fitted
    width, height = widget.width() * fill, widget.height() * fill
    if width <= 0 or height <= 0:
        return key
    font = QFont(widget.font())
    font.setWeight(weight)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setPixelSize(100)
    metrics = QFontMetricsF(font)
    lines = text.split("\n")
    text_w = max(metrics.horizontalAdvance(line) for line in lines) or 1.0
    text_h = metrics.height() * len(lines)
    size = max(6, int(100 * min(width / text_w, height / text_h)))
    font.setPixelSize(size)
    if font != widget.font():
        widget.setFont(font)  # repaints all of it
    return key


class Holder(QWidget):
    """A box in a layout that one widget fills, the widget itself in no layout.

    QLabel.setText asks its layout to recompute, and that asks the one above it, up to the
    window's: every second, for the workout screen's seconds, the whole window laid out again
    (and QMainWindow starts an animation object for its central widget each time) though
    nothing moves. A label that keeps its box whatever it says goes in a Holder: its
    text changes stop here.
    """

    def __init__(self, child: QWidget, parent: QWidget, *, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        child.setParent(self)
        self.child = child
        self.setSizePolicy(child.sizePolicy())
        self.setMinimumSize(child.minimumSize())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.child.setGeometry(self.rect())
