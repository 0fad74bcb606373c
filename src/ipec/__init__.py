"""ipec: an open platform for international intellectual-property enforcement cooperation."""

__version__ = "0.1.0"
