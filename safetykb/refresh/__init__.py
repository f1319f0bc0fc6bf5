"""refresh: keeping paper records' bibliographic facts fresh (`scripts/refresh.py`).

`answers` reads what sources say about a record (live title searches of `safetykb.metadata.search`,
or recorded answers from `--from FILE`) into one shape; `plan` judges them with
`safetykb.metadata.matching` and decides each record's new fields, holding back changes to reviewed
records; `apply` renders, renames and rewrites references, validates the whole knowledge base with
the changes on a temporary copy, and writes all files or none; `review` prints the review table;
`coverage` is the metadata coverage report of `scripts/report.py metadata`; `cli` is the command.
"""
