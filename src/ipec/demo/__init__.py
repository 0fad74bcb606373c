"""The demo scenario: a believable multi-country world to try ipec with."""
