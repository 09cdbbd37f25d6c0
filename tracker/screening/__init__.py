"""Screening that remembers: a named screening (a customer book) keeps its rows, every run's
hits and the reviewers' decisions, so a hit decided once stays decided until the listed
party changes (`tracker screen FILE --record NAME`, `tracker decide`, `tracker rescreen`).

`inputs` and `files` check the rows given, `run` screens and records them, `states` weighs
each hit against the decisions and the events since, `follow` rescreens and alerts,
`decisions` records verdicts, `report` reads it all back, `views` renders it.
"""
