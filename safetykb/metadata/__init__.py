"""metadata: bibliographic facts about papers, whoever asks for them.

Owns author names (`people`), the paper id rule (`ids`), the common shape of a paper's
metadata (`model`), the arXiv and Crossref clients (`fetch`: one paper by id), the title
searches of arXiv, Crossref and OpenAlex (`search`), the rules that say a search result is
the paper (`matching`), the venue table (`venues`) and the casing table of terms and method
names (`casing`, data in `casing.yaml`). The importer, add_paper and refresh all take these
facts from here, so they agree.
"""
