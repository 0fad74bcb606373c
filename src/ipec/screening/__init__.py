"""Border screening: matching declarations against recorded rights, with explained scores."""
