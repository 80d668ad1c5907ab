"""Who is calling and what they may see: password logins with lock-out, and the case scope
a principal's role and roster posts give them."""
