"""Who is calling: bearer tokens, password logins (throttled, never locked) and the access
service the edges use (`infra.auth.access`)."""
