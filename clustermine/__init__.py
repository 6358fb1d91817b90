"""clustermine: search and text mining for German documents on regional economic development."""

__version__ = "0.1.0"
