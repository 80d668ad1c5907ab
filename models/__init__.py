"""Minqing's domain core: pure rules, no I/O, time always an argument.

roster / organisation / posts   units, cadres, backups, leaders in charge, whereabouts
categories                      the category catalogue and its default time limits
workcalendar / deadlines        China's working days; statutory and service deadlines
routing / chain                 who owns and handles a new case; the escalation chain, recusal
lifecycle / case / *actions     the transition table, the case aggregate and its actions
  (case_actions, oversight, reviews), clock (current stage, overdue), registration
escalation                      overdue → up the chain; the 75% warning
repeats / petitioners           repeat petitions; early_warning: collective-petition signs
rates                           response, resolution and satisfaction rates
errors                          readable domain errors
"""
