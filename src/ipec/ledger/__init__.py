"""Tamper-evident ledger: an RFC 9162 Merkle log with signed checkpoints, proofs and receipts."""
