"""The printed label, shown on screen after printing."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


def pil_to_qimage(image: Image.Image) -> QImage:
    """A deep copy of a PIL image as a QImage (safe after the PIL image is gone)."""
    rgb = image.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    width, height = rgb.size
    return QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


class LabelPreview(QLabel):
    """The label image, scaled to fit, or a placeholder text."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("labelPreview")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumSize(160, 120)  # the whole bench fits a 1366x768 screen
        self.image: QImage | None = None
        self.tracking_no = ""
        self.clear_label()

    def clear_label(self) -> None:
        self.image = None
        self.tracking_no = ""
        self.setPixmap(QPixmap())
        self.setText(self.tr("The label appears here after printing."))

    def show_label(self, image: QImage, tracking_no: str) -> None:
        self.image = image
        self.tracking_no = tracking_no
        self._rescale()

    def show_failure(self, text: str) -> None:
        self.image = None
        self.setPixmap(QPixmap())
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self.image is None:
            return
        self.setPixmap(
            QPixmap.fromImage(self.image).scaled(
                self.contentsRect().size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
