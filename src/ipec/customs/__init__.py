"""Customs enforcement: applications for action, detentions under legal clocks, seizures, statistics."""
