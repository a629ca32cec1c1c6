"""painref: an offline terminal reference for interventional pain medicine."""

__version__ = "0.1.0"
