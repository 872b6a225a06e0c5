"""The front door: auth, accounts, rate limits, security headers, request ids, health."""
