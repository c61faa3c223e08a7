"""kycsim: a local simulator of identity-verification providers."""

__version__ = "0.1.0"
