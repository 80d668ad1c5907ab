"""The notifier (issue 13): consumes `case.events` and `alerts`, asks the domain who must hear
what (`models.notifications`), stores each notification once and delivers it on every
configured channel with retries, a dead-letter record and a log of every attempt."""
