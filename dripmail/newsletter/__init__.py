"""Newsletter issues: one article as one email, or a digest of several."""
