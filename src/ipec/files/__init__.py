"""Content-addressed file store: bytes under var/blobs/<sha256>, metadata in the blobs table."""
