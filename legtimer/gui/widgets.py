"""Small widgets shared by the views."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from legtimer.gui.qtnames import set_enum_property
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
        self._background: QColor | None = None
        #: What the font was last fitted for (text, size, family): nothing changed, no refit.
        self._fitted: tuple[str, int, int, str] | None = None
        set_enum_property(self, "alignment", "AlignCenter")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(10, 10)

    def set_background(self, colour: str | None) -> None:
        """Fill the label with this colour before its text (None: see through it, as a
        label does). Filled, it is opaque: a change of its text repaints it alone, not the
        widgets beneath it. Qt fills it (auto-fill, from the palette) and so knows it is
        opaque; the palette is set again whenever a style sheet is applied, since applying
        one restores the palette the widget had before the previous one."""
        self._background = QColor(colour) if colour is not None else None
        self._fill_background()

    def _fill_background(self) -> None:
        if self._background is not None:
            palette = self.palette()
            if palette.color(self.backgroundRole()) != self._background:
                palette.setColor(self.backgroundRole(), self._background)
                self.setPalette(palette)
        self.setAutoFillBackground(self._background is not None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if self._background is not None and event.type() == QEvent.Type.StyleChange:
            self._fill_background()

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
        # Sized for the text with its digits as zeros: digits are as wide as each other in the
        # fonts the app uses, so "11:00 left" and "10:59 left" measure the same, and a label
        # whose figures change every second is measured again only when its shape changes.
        text = self._sample or self.text().translate(_DIGITS_AS_ZERO) or "0"
        key = (text, self.width(), self.height(), self.font().family())
        if key == self._fitted:
            return
        self._fitted = key
        width, height = self.width() * self._fill, self.height() * self._fill
        if width <= 0 or height <= 0:
            return
        font = QFont(self.font())
        font.setWeight(self._weight)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        font.setPixelSize(100)
        metrics = QFontMetricsF(font)
        lines = text.split("\n")
        text_w = max(metrics.horizontalAdvance(line) for line in lines) or 1.0
        text_h = metrics.height() * len(lines)
        size = max(6, int(100 * min(width / text_w, height / text_h)))
        if font.pixelSize() != size or self.font().pixelSize() != size:
            font.setPixelSize(size)
            self.setFont(font)


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
