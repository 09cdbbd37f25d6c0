"""The only code that writes. Each function validates, writes its rows and records its event
in the caller's session; the caller owns the transaction (one command = one transaction)."""
