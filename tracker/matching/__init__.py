"""How alike two names are, word by word: what `tracker.names` builds its scores from."""
