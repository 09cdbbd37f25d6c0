"""Our database out, in formats other tools read (FollowTheMoney)."""
