"""core: records in, graph out.

Owns reading record files safely (`yamlsafe`), their JSON Schemas (`schema`, `precheck`), the
checks across records (`checks`, `duplicates`, `result_checks`) and of the section map
(`sections`), the single validation pass (`validation`) and the validated snapshot that lets it re-check only what
changed (`snapshot`, kept in sealed JSON cache files: `sealed`), the in-memory knowledge base (`records`),
result figures as numbers (`results`), the graph (`graph`) and the questions every consumer asks of
it (`queries`), plus the shared plumbing: where records live (`layout`), how problems are reported
(`problems`), characters refused in records and stripped from terminals (`chars`), "did you mean"
(`suggest`), writes (`fileio`) and how scripts start and end (`entry`). `cli` is
`scripts/validate.py`. Nothing downstream of `validation` reads YAML again.
"""
