"""Shared kernel: ids, clock, errors, jurisdictions, calendars. Imports nothing from ipec and no framework."""
