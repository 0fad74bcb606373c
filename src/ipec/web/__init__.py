"""Cross-cutting HTTP: dependencies, error mapping, templating, base templates and static files."""
