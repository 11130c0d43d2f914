"""USB printers through python-escpos and pyusb, against a fake USB bus.

No USB printer can be plugged in here, so the bus is faked at pyusb's own seam,
its documented backend interface (usb.backend.IBackend): the descriptors of a
USB printer-class device (class 7) with a bulk OUT endpoint 0x01 and IN 0x82 —
the endpoints python-escpos uses — and a bulk_write that keeps the bytes.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import usb.backend

from printers import PrinterError
from printers.jobs import LabelJob
from printers.transports import Usb

VENDOR, PRODUCT = 0x0416, 0x5011


class FakeUsbBus(usb.backend.IBackend):
    """One USB printer on the bus; `written` holds what reached its OUT endpoint."""

    def __init__(self, vendor: int, product: int) -> None:
        self.device = object()
        self.vendor, self.product = vendor, product
        self.written = bytearray()
        self.configuration = 0

    def enumerate_devices(self):
        yield self.device

    def get_device_descriptor(self, dev):
        return SimpleNamespace(
            bLength=18,
            bDescriptorType=1,
            bcdUSB=0x200,
            bDeviceClass=0,
            bDeviceSubClass=0,
            bDeviceProtocol=0,
            bMaxPacketSize0=64,
            idVendor=self.vendor,
            idProduct=self.product,
            bcdDevice=0x100,
            iManufacturer=0,
            iProduct=0,
            iSerialNumber=0,
            bNumConfigurations=1,
            address=1,
            bus=1,
            port_number=1,
            port_numbers=(1,),
            speed=3,
        )

    def get_configuration_descriptor(self, dev, config):
        return SimpleNamespace(
            bLength=9,
            bDescriptorType=2,
            wTotalLength=32,
            bNumInterfaces=1,
            bConfigurationValue=1,
            iConfiguration=0,
            bmAttributes=0xC0,
            bMaxPower=50,
            extra_descriptors=[],
        )

    def get_interface_descriptor(self, dev, intf, alt, config):
        return SimpleNamespace(
            bLength=9,
            bDescriptorType=4,
            bInterfaceNumber=0,
            bAlternateSetting=0,
            bNumEndpoints=2,
            bInterfaceClass=7,
            bInterfaceSubClass=1,
            bInterfaceProtocol=2,
            iInterface=0,
            extra_descriptors=[],
        )

    def get_endpoint_descriptor(self, dev, ep, intf, alt, config):
        return SimpleNamespace(
            bLength=7,
            bDescriptorType=5,
            bEndpointAddress=(0x01, 0x82)[ep],
            bmAttributes=2,
            wMaxPacketSize=64,
            bInterval=0,
            bRefresh=0,
            bSynchAddress=0,
            extra_descriptors=[],
        )

    def open_device(self, dev):
        return "handle"

    def close_device(self, handle):
        pass

    def set_configuration(self, handle, value):
        self.configuration = value

    def get_configuration(self, handle):
        return self.configuration

    def claim_interface(self, handle, intf):
        pass

    def release_interface(self, handle, intf):
        pass

    def reset_device(self, handle):
        pass

    def bulk_write(self, handle, ep, intf, data, timeout):
        assert ep == 0x01, "ESC/POS goes to the bulk OUT endpoint"
        self.written += bytes(data)
        return len(data)


JOB = LabelJob(b"\x1b@\x1b\x61\x01SF1023574470215\n\x1dV\x00", "escpos", "waybill-SF1")


def test_a_job_reaches_the_usb_printer_byte_for_byte() -> None:
    bus = FakeUsbBus(VENDOR, PRODUCT)
    result = Usb(VENDOR, PRODUCT, backend=bus).send(JOB)
    assert bytes(bus.written) == JOB.data
    assert result.path is None
    assert bus.configuration == 1


def test_a_printer_that_is_not_on_the_bus_is_a_plain_error() -> None:
    bus = FakeUsbBus(0x1234, 0x5678)
    with pytest.raises(PrinterError) as caught:
        Usb(VENDOR, PRODUCT, backend=bus).send(JOB)
    assert caught.value.code == "offline"
    assert "0416:5011" in caught.value.message and "plugged in" in caught.value.message
    assert not bus.written
