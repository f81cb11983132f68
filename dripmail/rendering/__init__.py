"""Rendering: planned emails through the theme into inlined HTML and plain text."""
