"""Packing Station: the packing bench for WeChat merchants."""

__version__ = "0.1.0"
