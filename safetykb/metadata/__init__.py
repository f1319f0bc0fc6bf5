"""metadata: bibliographic facts about papers, whoever asks for them.

Owns author names (`people`), the paper id rule (`ids`), the common shape of a paper's
metadata (`model`), the arXiv and Crossref clients (`fetch`) and the venue table (`venues`).
The importer, add_paper and refresh all take these facts from here, so they agree.
"""
