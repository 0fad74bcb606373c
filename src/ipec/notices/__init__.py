"""Notices and alerts between agencies: typed, marked for handling, matched to subscriptions, delivered live."""
