"""query: plain-word questions answered from the graph (`scripts/query.py`).

`question` reads a question into a structured query (`results_question` the questions about
leaderboards and evaluated systems), `ask` answers it through
`safetykb.core.queries`, `formats` renders the reply (table, Markdown, JSON, BibTeX, ids),
`cache` keeps the graph's edges and indices with the validated snapshot between runs (after an edit
only the changed papers are checked and re-indexed), and `cli` is the command line.
"""
