"""Read-only statistics and overviews: reports never write."""
