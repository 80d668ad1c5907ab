"""What leaders are judged on (issue 14), as pure rules: no I/O, time always an argument.

periods          months, two-month diary periods, quarters and years in Beijing days
meetings         the Monday/Thursday joint meetings and the window a meeting report covers
records          neutral input records a service fills from storage (cases, diary entries, alerts)
meeting_report   the meeting report assembled from those records
supervision      督办 items: meeting decisions and the month's top issue, tracked and escalated
visiting         visiting days per cadre and month, shortfall against 7
diary_summary    the bi-monthly diary summary of a village, its proposals and submission
assessment       village assessment with stars, rank and every score explained by its parts
topics           the month's top issue (每月一题): clustering the month's cases, picking one
words            Chinese word segmentation and keyword weighting for the topics
contract         the reports as CONTRACT "Reports" spells them (JSON-ready dicts)
"""
