"""Persistence plumbing: declarative base, portable types, engine and sessions, Alembic migrations."""
