"""Minqing's domain core: pure rules, no I/O, time always an argument.

roster / organisation / posts   units, cadres, backups, leaders in charge, whereabouts
categories                      the category catalogue and its default time limits
workcalendar / deadlines        China's working days (libraries, the law, imported schedules);
                                statutory and service deadlines with their bases
standing / chain / conflict     the escalation chain; conflict of interest decided once per case
routing / backups               who owns and handles a new case; walking the AB-role ring
admission                       accused ids resolved against the roster; no events from the future
lifecycle / case / *actions     the transition table, the case aggregate and its actions
  (case_actions, oversight, reviews), decisions (nobody decides their own request),
  clock (current stage, overdue, recomputed deadlines), deadline_history, registration
escalation / attention          overdue → up the chain (callbacks to the petition office); the 75% warning
repeats / petitioners           repeat petitions; early_warning: collective-petition signs
rates                           response, resolution and satisfaction rates
errors / reasons                readable domain errors; every reason's code and English template
"""
