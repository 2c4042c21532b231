"""smolgraph: a knowledge graph of a region's international contacts."""
__version__ = "0.1.0"
