"""The pipeline: the stages in order, for every command that builds or renders.

`build` (`dripmail build`: settings -> articles -> cache -> render and stage -> commit -> index
-> cache, one call each), `project` (settings and articles; a project rendered in memory),
`worker` (one sequence in one process), `executor` (a generic ordered process pool), `cache`
(the content-hash build cache) and `check` (`dripmail check`).
"""
