"""The open order: recipient (masked), buyer's note, packing guide and the lines to scan."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.core.masking import mask_name, mask_phone
from station.core.model import Order
from station.core.packing_guide import packing_guide
from station.core.session import LineProgress
from station.ui.texts import flags_text, message_text

IMAGE_SIZE = 64
COMPLETE = QColor("#c8f0d0")
PARTIAL = QColor("#fff1c2")
OVERRIDDEN = QColor("#ffe0b2")


class OrderPanel(QWidget):
    """Shows one order and how far its lines are scanned."""

    def __init__(self, images_dir: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.images_dir = images_dir
        self._pixmaps: dict[str, QPixmap | None] = {}
        self.title = QLabel(objectName="orderTitle")
        self.recipient = QLabel(objectName="recipient")
        self.flags = QLabel(objectName="orderFlags", wordWrap=True)
        self.note = QLabel(objectName="buyerNote", wordWrap=True)
        self.guide = QLabel(objectName="packingGuide", wordWrap=True)
        self.lines = QTableWidget(0, 4, objectName="lines")
        self.lines.setHorizontalHeaderLabels(
            ["", self.tr("SKU"), self.tr("Item"), self.tr("Scanned")]
        )
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.verticalHeader().hide()
        self.lines.setIconSize(QSize(IMAGE_SIZE, IMAGE_SIZE))
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, IMAGE_SIZE + 8)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.recipient, self.flags, self.note, self.guide, self.lines):
            layout.addWidget(widget)

    def show_order(
        self, order: Order, progress: list[LineProgress], confirming: bool = False
    ) -> None:
        """`confirming`: the order's flags are being checked, so the person checking
        them sees the whole address (else masked, as on the label)."""
        self.title.setText(self.tr("Order {order_no}").format(order_no=order.order_no))
        person = order.recipient
        place = " ".join(p for p in (person.province, person.city, person.district) if p)
        if confirming and person.address:
            place = person.address
        self.recipient.setText(
            f"{mask_name(person.name)}  {mask_phone(person.phone)}  {place}".strip()
        )
        self.flags.setVisible(bool(order.flags))
        self.flags.setText(self.tr("Check first: {flags}").format(flags=flags_text(order)))
        self.note.setVisible(bool(order.buyer_note))
        self.note.setText(self.tr("Buyer's note: {note}").format(note=order.buyer_note))
        guide = [message_text(m) for m in packing_guide(order.categories, order.names)]
        self.guide.setVisible(bool(guide))
        self.guide.setText("\n".join(guide))
        self._fill_lines(progress)

    def _fill_lines(self, progress: list[LineProgress]) -> None:
        self.lines.setRowCount(len(progress))
        self.lines.setColumnHidden(0, not any(self._pixmap(p.line.image) for p in progress))
        for row, item in enumerate(progress):
            line = item.line
            if item.overridden:
                count = self.tr("{quantity} (supervisor)").format(quantity=line.quantity)
                colour: QColor | None = OVERRIDDEN
            else:
                count = f"{item.scanned} / {line.quantity}"
                colour = COMPLETE if item.complete else PARTIAL if item.scanned else None
            cells = [QTableWidgetItem(), QTableWidgetItem(line.sku)]
            cells += [QTableWidgetItem(line.name), QTableWidgetItem(count)]
            cells[3].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            pixmap = self._pixmap(line.image)
            if pixmap is not None:
                cells[0].setData(Qt.ItemDataRole.DecorationRole, pixmap)
            for column, cell in enumerate(cells):
                if colour is not None:
                    cell.setBackground(QBrush(colour))
                self.lines.setItem(row, column, cell)
            self.lines.setRowHeight(row, IMAGE_SIZE + 8)

    def scanned_text(self, row: int) -> str:
        """The "scanned" cell of a row, as shown."""
        cell = self.lines.item(row, 3)
        return cell.text() if cell is not None else ""

    def _pixmap(self, image: str) -> QPixmap | None:
        """The product image, from an absolute path or one under the images folder."""
        if not image:
            return None
        if image not in self._pixmaps:
            path = Path(image)
            if not path.is_absolute() and self.images_dir is not None:
                path = self.images_dir / path
            pixmap = QPixmap(str(path)) if path.is_file() else QPixmap()
            self._pixmaps[image] = (
                None
                if pixmap.isNull()
                else pixmap.scaled(
                    IMAGE_SIZE,
                    IMAGE_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._pixmaps[image]
