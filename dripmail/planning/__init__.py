"""Planning: split an article into emails and give each its day, subject and preheader."""
