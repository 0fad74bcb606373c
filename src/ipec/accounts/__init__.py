"""Organisations, users, roles, sessions, API tokens, the access policy and the audit trail."""
