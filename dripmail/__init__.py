"""dripmail: turn an article into a dated email sequence."""

__version__ = "0.1.0"
