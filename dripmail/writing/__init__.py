"""Writing: the only code that writes build output."""
