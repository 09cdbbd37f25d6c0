"""Watches and alerts: what a user follows, what imports raise for it, and the webhook
outbox that tells a receiver (issue 15, part 2)."""
