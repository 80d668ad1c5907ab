"""Minqing's HTTP API (FastAPI; OpenAPI at `/docs`). One router per audience:

public     GET /api/v1/track/{tracking_code}                      (no token)
auth       POST /api/v1/auth/login · /logout                       (argon2 passwords, throttled)
cases      GET /api/v1/cases · /cases/counts · /cases/export.csv · /cases/{id}   (every role, scoped)
operator   POST /api/v1/calls (202, durable) · POST /callers/cases {phone} · POST /cases/{id}/callback · /close
cadre      GET /api/v1/inbox · POST /cases/{id}/accept · contact · progress · reply · objection · delegate ·
           extension-requests · POST /api/v1/diary · /contact-cards (202, durable)
leader     GET/POST /api/v1/extension-requests[/{id}/decision] · POST /cases/{id}/objection/decision ·
           GET /alerts · /rates?start&end&by=village|cadre   (overdue/escalated: /cases?overdue=true…)
admin      POST /api/v1/admin/roster (JSON/CSV/XLSX) · PUT /cadres/{id}/whereabouts · /admin/tokens ·
           /admin/logins · /admin/audit · GET /categories · PUT /admin/categories/{code}
open311    /open311/discovery.{fmt} · /open311/v2/services.{fmt} · services/{code}.{fmt} ·
           requests.{fmt} (GET, POST with api_key or X-Api-Key) · requests/{id}.{fmt} · tokens/{token}.{fmt}

Every route builds a command and hands it to the service layer (`infra.services`); it never
opens a transaction or decides a rule. What a caller may see is decided once, by
`models.access.scope_for` and its SQL translation `infra.db.case_queries.visible`; a case
accusing the caller or their unit is a 404 everywhere. Every response gets security headers,
every API answer `no-store` (`api.security_headers`).
"""
