"""Generated clients end to end: built from a spec, imported, and called over the wire."""
