"""LongCat Desktop: a native desktop chat client for the LongCat API Platform."""

__version__ = "0.1.0"
