"""What the generated code looks like: docstrings, layout, lint and type checks, the runtime seam, writing."""
