"""add_paper: draft a paper record from an arXiv id, a DOI or BibTeX, classify it, check it, write it.

The package owns the contributor's one-command path into the knowledge base:
`fetch` (arXiv export API and Crossref, with a timeout), `bib` (BibTeX through
bibtexparser 2), `ids` (the paper id rule), `venues` (short venue names),
`classify` (classification from flags or terminal prompts), `draft` (the
record, its checks through the core validator, and the no-clobber write) and
`cli` (`scripts/add_paper.py`).
"""
