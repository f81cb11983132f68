"""Reading: article files in, sanitised content blocks out."""
