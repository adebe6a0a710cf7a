"""Intake's pages: `fill` (filling in a screening), `record` (a person's screening record
and the urgent queue), and the instrument builder (`builder`, `drafts`, `preview`). Routes
are in `intake.urls`."""
