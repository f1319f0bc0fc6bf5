"""export: the whole knowledge base as files (`scripts/export.py`).

`formats` writes JSON, GraphML, CSV (papers; `results-csv`: one row per result figure) and
dispatches to `bibtex` (BibTeX entries) and `awesome` (an Awesome-list README); `cli` is the
command line.
"""
