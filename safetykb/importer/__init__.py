"""Importers: the two seed Awesome lists into paper records, and result tables into result records.

Owns: parsing the lists (``lvlm_list``, ``large_model_list``), merging duplicate
entries (``merge``; venues come from ``safetykb.metadata.venues``), classification by section
and per-paper data (``classification``; the data itself lives in ``classify/``),
writing records (``writer``), the coverage report (``report``) and the pipeline
that ties them together (``pipeline``). Where the upstream data is: ``sources`` (sources.yaml).

Results: ``results`` (the results-table CSV, building, checking and writing result records),
``lvlm_survey`` (the vendored transcription of the LVLM survey's evaluation) and ``results_cli``
(``scripts/import_results.py``, ``scripts/add_results.py``).
"""

LVLM_LIST = "awesome-lvlm-safety"
LARGE_MODEL_LIST = "awesome-large-model-safety"
LISTS = (LVLM_LIST, LARGE_MODEL_LIST)
