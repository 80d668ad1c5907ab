"""The use cases: one function per use case, `async def use_case(command, uow) -> result`,
one transaction, the domain (`models`) deciding. The edges — routers, the web UI, Open311,
the CLI, the stream agents — build commands and call `app.Minqing.handle`.

ports           the unit of work and repository protocols (PostgreSQL: infra.db.uow; memory: infra.memory)
app             the service layer as the edges see it: handle, submit, ingest, escalate_due
casework        accept, contact, progress, reply, object, delegate, callback, close
oversight       extension requests and decisions, objection decisions, alerts
intake          input events → cases, links, dead letters (a batch per transaction)
submissions     events entered over HTTP and Open311 → the outbox
escalation      overdue cases up the chain, 75% warnings
reads           a case, lists, the inbox, counts, caller look-up, tracking, export
insight         the three rates, overdue history
reports         the joint-meeting report and visiting days (issue 14; report_common: what they share)
supervision     督办 items: meeting decisions and picked top issues, worked and escalated
top_issues      the month's top issue (每月一题): candidates and a leader's pick
diary_summaries the bi-monthly diary summary: proposals, submission, who has not submitted
assessment      village assessment with stars and rank; its weights
upward          petitions beyond the township (the zero-petition months)
administration  roster, whereabouts, categories, audit log;  dead_letters: list and replay
directory       the roster for the web UI's pickers, and who the caller is
open311         GeoReport v2 services and requests
errors          NotFound, Forbidden, Conflict, Invalid, Unavailable: what edges translate
"""
