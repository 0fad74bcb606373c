"""What leaves the node for people and systems outside it: e-mail by SMTP and HMAC-signed webhooks.

Features queue their messages in their own transaction and send them after commit from a background task, so
nothing leaves for a change that was rolled back; this package only knows how to send.
"""
