"""Every number more than one stage relies on, named for what it bounds (stdlib only).

Two kinds of subject and preheader numbers live here, on purpose different: the planner's AIMS
(what it writes: subjects near 50 characters, preheaders of 40 to 100) and the quality gate's
BOUNDS (what it reports on any email, hand-written ones included: an error past 78 characters
of subject, a preheader under 30 or past 140). A planned email always sits inside the bounds.
"""

from __future__ import annotations

# --- what the planner writes (planning/plan.py) ---------------------------------------------
SUBJECT_TARGET = 50  # characters a subject aims at (Mailchimp's advice); the check warns past it
SUBJECT_KEEP = 65  # a whole heading up to this length beats one cut to SUBJECT_TARGET
PLANNED_PREHEADER_MIN = 40  # the planner reads sentences until the preheader is this long
PLANNED_PREHEADER_MAX = 100  # and clips it to this length
MAX_EMAILS = 100  # the most emails one sequence may have (`emails` and `auto`)
RECAP_TOPIC_MAX = 54  # characters of a subject a recap or teaser names: two lines at 375 px

# --- what the quality gate reports on (checks/rules_subject.py) -----------------------------
SUBJECT_LIMIT = 78  # RFC 5322 line length: a longer subject is folded and cut on phones
CHECKED_PREHEADER_MIN = 30  # shorter, and the inbox pads the preview with body text
CHECKED_PREHEADER_MAX = 140  # longer, and no inbox shows the rest

# --- rendering ------------------------------------------------------------------------------
WIDTH = 78  # columns of the plain-text part (RFC 5322 SHOULD)
FILLER_TO = 150  # preheader + invisible filler, so no body text is pulled into the preview

# --- size and time --------------------------------------------------------------------------
GMAIL_CLIP = 102 * 1024  # 104,448 bytes of HTML: Gmail shows "[Message clipped]" from here
SIZE_WARN = 75 * 1024  # leave room for the provider's link tracking
READING_WPM = 238  # words a minute: adult silent reading of non-fiction (Brysbaert 2019)

# --- delivery -------------------------------------------------------------------------------
UPLOAD_TIME_LIMIT = 600  # seconds for a whole `dripmail upload` (--time-limit)

# --- reading --------------------------------------------------------------------------------
NESTING_LIMIT = 32  # levels of lists, quotes and HTML blocks an article may nest
