"""Writing: the only code that writes build output.

`staging` (lock, stage, commit, discard: the entry points), `paths` (every name checked),
`folder` (a sequence folder's files), `manifest`, `eml`, `schedule`, `index` (the preview page),
`swap` (the journalled commit) and `files` (new and atomic files).
"""
