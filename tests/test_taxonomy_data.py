"""Checks on the hand-written data: taxonomy nodes, section mapping, seed papers, datasets, benchmarks.

Owns data-level tests: every seed-list heading maps to exactly one entry of taxonomy/sections.yaml,
section defaults and survey placements name real nodes and sections, aliases are unambiguous, seed papers
come from their lists. Schemas, ids, references and trees of every record are the validator's job, asserted
on the repository by tests/test_validate_corpus.py::test_repository_records_are_clean.

The seed lists are read from $SAFETYKB_SOURCES, else the cache that `make sources` fills (sources.yaml).
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path

import yaml

from safetykb.core.duplicates import normalise_title
from tests.helpers import seed_lists

REPO = Path(__file__).resolve().parents[1]
TAXONOMY = REPO / "taxonomy"
SCHEMAS = REPO / "safetykb" / "schemas"
KINDS = ("model", "attack", "defense", "dataset", "benchmark")
NODE_KINDS = ("model", "attack", "defense")

LMS = "awesome-large-model-safety"
LVLM = "awesome-lvlm-safety"
SURVEY_OF_LIST = {LMS: "safety-at-scale", LVLM: "lvlm-safety"}

# Ids the brief fixes; they may gain siblings and children but must never disappear.
FIXED_IDS = {
    "model": {
        "vfm",
        "vit",
        "sam",
        "llm",
        "vlp",
        "vlm",
        "dm",
        "agent",
        "llm-agent",
        "vlm-agent",
        "embodied-agent",
        "multi-agent-system",
    },
    "attack": {
        "adversarial",
        "backdoor",
        "poisoning",
        "jailbreak",
        "harmful-fine-tuning",
        "prompt-injection",
        "indirect-prompt-injection",
        "energy-latency",
        "membership-inference",
        "model-extraction",
        "data-extraction",
        "unauthorized-use",
        "agent-attack",
        "agent-memory-attack",
        "agent-tool-attack",
        "multi-agent-attack",
        "embodied-attack",
    },
    "defense": {
        "adversarial-training",
        "certified-robustness",
        "input-purification",
        "detection",
        "safety-alignment",
        "inference-alignment",
        "guardrails",
        "backdoor-removal",
        "machine-unlearning",
        "concept-erasure",
        "watermarking",
        "privacy-defense",
        "agent-defense",
    },
}
FIXED_PARENTS = {
    "vit": "vfm",
    "sam": "vfm",
    "llm-agent": "agent",
    "vlm-agent": "agent",
    "embodied-agent": "agent",
    "multi-agent-system": "agent",
    "harmful-fine-tuning": None,  # training-time: a root type, not a kind of (inference-time) jailbreak
    "indirect-prompt-injection": "prompt-injection",
    "agent-memory-attack": "agent-attack",
    "agent-tool-attack": "agent-attack",
    "multi-agent-attack": "agent-attack",
    "embodied-attack": "agent-attack",
    "vlm-agent-attack": "agent-attack",
    "concept-erasure": "machine-unlearning",
}
ROLES = {"attack", "defense", "mixed", "benchmark", "analysis"}


# ---------------------------------------------------------------------------------------------- loading


def _load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@cache
def records() -> dict[str, dict[str, tuple[Path, dict]]]:
    """kind -> id -> (path, record), for the five taxonomy kinds and papers."""
    out: dict[str, dict[str, tuple[Path, dict]]] = {}
    for kind in KINDS:
        folder = TAXONOMY / f"{kind}s"
        out[kind] = {p.stem: (p, _load(p)) for p in sorted(folder.glob("*.yaml"))}
    out["paper"] = {p.stem: (p, _load(p)) for p in sorted((REPO / "papers").glob("*/*.yaml"))}
    return out


def ids(kind: str) -> set[str]:
    return set(records()[kind])


def all_records():
    for kind, recs in records().items():
        for rid, (path, rec) in recs.items():
            yield kind, rid, path, rec


@cache
def sections() -> dict:
    return _load(TAXONOMY / "sections.yaml")


@cache
def readme(name: str) -> str:
    return (seed_lists() / name / "README.md").read_text(encoding="utf-8")


SUMMARY_RE = re.compile(r'<summary>\s*<span id="ch\d+">(.*?)(?:</span>)?\s*</summary>')
H5_RE = re.compile(r"^##### (.+)$")
H3_RE = re.compile(r"<h3 id=\"[^\"]*\">(.*?)</h3>")


def lms_headings() -> list[tuple[str, str]]:
    """(chapter, heading) for every ##### heading of the Safety at Scale list, in order."""
    chapter = None
    out = []
    for line in readme(LMS).splitlines():
        m = SUMMARY_RE.search(line)
        if m:
            chapter = m.group(1).strip()
            continue
        m = H5_RE.match(line)
        if m:
            assert chapter is not None, f"heading {line!r} before any chapter"
            out.append((chapter, m.group(1).strip()))
    return out


def lvlm_headings() -> list[str]:
    """The <h3> section titles of the LVLM list, tags (icons) stripped."""
    return [re.sub(r"<[^>]+>", "", m.group(1)).strip() for m in H3_RE.finditer(readme(LVLM))]


def as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


title_key = normalise_title  # the validator's and importer's title key


def near_identical(a: str, b: str) -> bool:
    """Two title keys that differ by a typo or a short word (ratio >= 0.9), not a rewording."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9


LMS_ENTRY_RE = re.compile(r"^- (\S.*?)\s*$")  # "- Title." at column 0; authors/venue are indented
# "* **[2023.11.09]** **[Title](url)**", with the bold markers misplaced in some entries: read without "*"
LVLM_ENTRY_RE = re.compile(r"^ \[\d{4}\.\d{2}\.\d{2}\] \[(.+?)\]\(http")


def list_entry_titles(name: str) -> list[str]:
    """Titles of the entries of one seed list, in order (duplicates kept)."""
    out = []
    for line in readme(name).splitlines():
        if name == LMS:
            m = LMS_ENTRY_RE.match(line)
        else:
            m = LVLM_ENTRY_RE.match(line[1:].replace("*", "")) if line.startswith("* ") else None
        if m:
            out.append(m.group(1).rstrip("."))
    return out


@cache
def list_title_keys(name: str) -> frozenset[str]:
    """Title keys of the entries of one seed list."""
    return frozenset(title_key(title) for title in list_entry_titles(name))


def head_key(title: str) -> str | None:
    """Key of the main title before the first colon, when it is distinctive (3 words or more)."""
    head, sep, _rest = title.partition(":")
    return title_key(head) if sep and len(re.findall(r"[A-Za-z0-9]+", head)) >= 3 else None


@cache
def list_head_keys(name: str) -> frozenset[str]:
    return frozenset(k for k in map(head_key, list_entry_titles(name)) if k)


# ---------------------------------------------------------------------------------------------- records


def test_records_exist_for_every_fixed_id():
    for kind, wanted in FIXED_IDS.items():
        missing = wanted - ids(kind)
        assert not missing, f"{kind}s missing: {sorted(missing)}"
    for child, parent in FIXED_PARENTS.items():
        kind = next(k for k in NODE_KINDS if child in ids(k))
        assert records()[kind][child][1].get("parent") == parent, f"{child} should be under {parent}"


def test_every_file_starts_with_a_working_schema_hint():
    for kind, _rid, path, _rec in all_records():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, f"{path.relative_to(REPO)}: first line is not the editor hint: {first!r}"
        target = (path.parent / m.group(1)).resolve()
        assert target == (SCHEMAS / f"{kind}.schema.json").resolve(), f"{path}: hint points to {target}"


def test_node_descriptions_are_substantive():
    for kind in NODE_KINDS:
        for rid, (_p, rec) in records()[kind].items():
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", rec["description"].strip()) if s]
            assert len(sentences) >= 2, f"{kind} {rid}: description should be 2-3 sentences"
            assert rec["name"].casefold() != rec["description"].casefold()


def test_aliases_are_unambiguous():
    owner: dict[str, str] = {}
    all_ids = {rid for _k, rid, _p, _r in all_records()}
    problems = []
    for kind, rid, _path, rec in all_records():
        if kind == "paper":
            continue
        for alias in rec.get("aliases", []):
            key = alias.casefold().strip()
            if key in owner and owner[key] != rid:
                problems.append(f"alias {alias!r} on both {owner[key]} and {rid}")
            owner[key] = rid
            if key in all_ids and key != rid:
                problems.append(f"alias {alias!r} of {rid} equals the id of another record")
    assert not problems, "\n".join(problems)
    # spot checks of words people type
    for alias, rid in {
        "lvlm": "vlm",
        "mllm": "vlm",
        "llava": "vlm",
        "gpt-4v": "vlm",
        "gpt-4": "llm",
        "chatgpt": "llm",
        "clip": "vlp",
        "stable diffusion": "dm",
        "t2i": "dm",
        "vit": "vit",
        "segment anything": "sam",
        "trojan": "backdoor",
        "rlhf": "safety-alignment",
        "mia": "membership-inference",
        "ipi": "indirect-prompt-injection",
    }.items():
        assert owner.get(alias) == rid, f"{alias!r} should resolve to {rid}, not {owner.get(alias)}"


# ---------------------------------------------------------------------------------------------- sections


def test_every_lms_heading_maps_to_exactly_one_section():
    headings = lms_headings()
    assert len(headings) >= 40, f"heading parser found only {len(headings)} headings"
    entries = sections()[LMS]["sections"]
    for chapter, heading in headings:
        hits = [e for e in entries if e["chapter"] == chapter and e["heading"] == heading]
        assert len(hits) == 1, f"{chapter} / {heading}: {len(hits)} entries in sections.yaml"
    stale = {(e["chapter"], e["heading"]) for e in entries} - set(headings)
    assert not stale, f"sections.yaml entries with no heading in the list: {sorted(stale)}"
    assert len(entries) == len(headings)


def test_every_lvlm_heading_maps_to_exactly_one_section():
    headings = lvlm_headings()
    assert headings == ["Attacks", "Defenses", "Evaluations"]
    entries = sections()[LVLM]["sections"]
    for heading in headings:
        assert sum(e["heading"] == heading for e in entries) == 1, heading
    assert len(entries) == len(headings)


def test_section_labels_use_chapter_short_names():
    lms = sections()[LMS]
    chapters = lms["chapters"]
    assert set(chapters.values()) == {"VFM", "LLM", "VLP", "VLM", "DM", "Agent"}
    assert set(chapters) == {c for c, _h in lms_headings()}
    for e in lms["sections"]:
        assert e["label"] == f"{chapters[e['chapter']]} / {e['heading']}"
    for e in sections()[LVLM]["sections"]:
        assert e["label"] == e["heading"]
    for name, survey in SURVEY_OF_LIST.items():
        assert sections()[name]["survey"] == survey
        labels = [e["label"] for e in sections()[name]["sections"]]
        assert len(labels) == len(set(labels)), f"duplicate labels in {name}"


def test_section_defaults_reference_existing_nodes():
    problems = []
    for name in SURVEY_OF_LIST:
        for e in sections()[name]["sections"]:
            where = f"{name}: {e['label']}"
            if e["role"] not in ROLES:
                problems.append(f"{where}: role {e['role']!r}")
            if not e.get("models"):
                problems.append(f"{where}: no model family")
            problems += [f"{where}: model {m!r}" for m in e.get("models", []) if m not in ids("model")]
            problems += [f"{where}: threat {t!r}" for t in e.get("threats", []) if t not in ids("attack")]
            problems += [f"{where}: defense {d!r}" for d in e.get("defenses", []) if d not in ids("defense")]
            if e["role"] in ("defense", "mixed") and "defenses" not in e:
                problems.append(f"{where}: defense section without a defenses key")
            if e["role"] in ("attack", "benchmark", "analysis") and e.get("defenses"):
                problems.append(f"{where}: {e['role']} section with default defenses")
    assert not problems, "\n".join(problems)


def test_section_defaults_follow_their_headings():
    for e in sections()[LMS]["sections"]:
        heading = e["heading"]
        if heading.startswith("Backdoor & Poisoning"):
            assert set(e["threats"]) == {"backdoor", "poisoning"}, e["label"]
        if heading.endswith(("Attacks", "Attack")) and "&" not in heading:
            assert e["role"] == "attack", e["label"]
        if heading.endswith(("Defenses", "Defense")) and "Attacks" not in heading:
            assert e["role"] == "defense", e["label"]
        if heading.startswith("Jailbreak"):
            assert e["threats"] == ["jailbreak"], e["label"]
    by_label = {e["label"]: e for e in sections()[LMS]["sections"]}
    assert by_label["Agent / Agent Safety Benchmarks"]["role"] == "benchmark"
    assert by_label["DM / Intellectual Property Protection"]["threats"] == ["unauthorized-use"]


def test_survey_placements_name_real_sections():
    lms_labels = {e["label"] for e in sections()[LMS]["sections"]} | set(sections()[LMS]["chapters"].values())
    lvlm_labels = {e["label"] for e in sections()[LVLM]["sections"]}
    problems = []
    for kind in NODE_KINDS:
        for rid, (_p, rec) in records()[kind].items():
            surveys = rec.get("surveys", {})
            assert set(surveys) <= set(SURVEY_OF_LIST.values()), f"{rid}: unknown survey key"
            for label in as_list(surveys.get("safety-at-scale", [])):
                if label not in lms_labels:
                    problems.append(f"{kind} {rid}: safety-at-scale {label!r}")
            for label in as_list(surveys.get("lvlm-safety", [])):
                if label.split(" / ")[0] not in lvlm_labels:
                    problems.append(f"{kind} {rid}: lvlm-safety {label!r}")
    assert not problems, "\n".join(problems)


def test_every_threat_section_is_placed_on_its_attack_node():
    """Each attack id used as a default threat of an attack section lists that section in `surveys`."""
    for e in sections()[LMS]["sections"]:
        if e["role"] != "attack":
            continue
        for threat in e["threats"]:
            placed = as_list(records()["attack"][threat][1].get("surveys", {}).get("safety-at-scale", []))
            assert e["label"] in placed, f"attack {threat} does not list {e['label']!r}"


# ---------------------------------------------------------------------------------------------- papers


def test_papers_sit_in_their_year_folder_and_carry_the_year_in_the_id():
    for rid, (path, rec) in records()["paper"].items():
        assert path.parent.name == str(rec["year"]), f"{path}: year {rec['year']}"
        assert re.fullmatch(rf"[a-z]+{rec['year']}[a-z0-9]+", rid), f"{rid}: not family+year+word"
        if "date" in rec:
            assert rec["date"].startswith(str(rec["year"])), f"{rid}: date {rec['date']} vs year"


def test_paper_filed_under_names_real_sections():
    for rid, (_path, rec) in records()["paper"].items():
        for name, labels in rec.get("filed_under", {}).items():
            assert name in SURVEY_OF_LIST, f"{rid}: unknown list {name!r}"
            assert name in rec["sources"], f"{rid}: filed under {name} but not sourced from it"
            known = {e["label"] for e in sections()[name]["sections"]}
            assert set(labels) <= known, f"{rid}: {set(labels) - known}"


@cache
def _evidence_arxiv() -> dict[str, set[str]]:
    """record id -> arXiv ids that a recorded answer in docs/evidence/ gives (with the pages showing them)."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "docs" / "evidence").glob("*.yaml")):
        for item in _load(path) or []:
            if isinstance(item, dict) and (item.get("found") or {}).get("arxiv"):
                found.setdefault(item["record"], set()).add(str(item["found"]["arxiv"]))
    return found


def evidenced_arxiv(rec: dict) -> set[str]:
    """arXiv ids an evidence file gives for this record (under its id or any former id)."""
    ids = [rec["id"], *rec.get("former_ids", [])]
    return set().union(*(_evidence_arxiv().get(i, set()) for i in ids))


def test_papers_taken_from_a_list_appear_in_it():
    """Every paper sourced from a list is one of that list's entries: same title up to case,
    punctuation, hyphens, spaces and accents; else a near-identical title (a typo or a word more);
    else the same main title before the colon (the importer merges reworded subtitles); else, for a
    paper merged across lists under another entry's wording, its arXiv id is in that list."""
    problems = []
    for rid, (_path, rec) in records()["paper"].items():
        arxiv = rec.get("links", {}).get("arxiv")
        for name in set(rec["sources"]) & set(SURVEY_OF_LIST):
            keys = list_title_keys(name)
            key = title_key(rec["title"])
            found = (
                key in keys
                or any(near_identical(key, k) for k in keys)
                or head_key(rec["title"]) in list_head_keys(name)  # subtitle reworded in that list
            )
            if not found and not (arxiv and arxiv in readme(name)):
                problems.append(f"{rid}: title {rec['title']!r} matches no entry of {name}")
            if name == LVLM and arxiv and arxiv not in readme(name) and arxiv not in evidenced_arxiv(rec):
                problems.append(f"{rid}: arXiv id {arxiv} not in {name} and no evidence file under docs/evidence "
                                "gives it")
    assert not problems, "\n".join(problems)


def test_list_entry_titles_are_parsed():
    """Guards the helper above: it must see (nearly) every entry, or the check passes vacuously."""
    lvlm_entries = [line for line in readme(LVLM).splitlines() if line.startswith("* ")]
    assert len(list_entry_titles(LVLM)) == len(lvlm_entries) >= 100
    lms_entries = [line for line in readme(LMS).splitlines() if re.match(r"^  - \*.+\*,? *\d{4}", line)]
    assert len(list_entry_titles(LMS)) >= len(lms_entries) >= 500
    assert title_key("FigStep: Jailbreaking Large Vision-language Models via Typographic Visual Prompts") in (
        list_title_keys(LVLM)
    )
    assert title_key("(Ab)using Images and Sounds") == title_key("Abusing images and sounds")
    roleplay = "Visual-RolePlay: Universal Jailbreak Attack on MultiModal Large Language Models via Role-playing Image"
    assert near_identical(title_key(roleplay), title_key(roleplay + " Character"))
    assert not near_identical(
        title_key("IDEATOR: Jailbreaking VLMs Using VLMs"),
        title_key("IDEATOR: Jailbreaking Large Vision-Language Models Using Themselves"),
    )


def test_paper_classification_is_consistent():
    """The rules (attacks -> contribution attack, defenses -> defense, a benchmark or dataset paper introduces
    its record, and `introduces` and `introduced_in` name each other) are the validator's
    (safetykb.core.checks.check_contributions, cases in tests/bad_records): the validator is the one judge."""
    from safetykb.core.validation import load_and_validate

    result = load_and_validate(REPO)
    assert not result.problems, "\n".join(map(str, result.problems))
    cases = {p.name for p in (REPO / "tests" / "bad_records").iterdir()}
    assert {"contribution-mismatch", "benchmark-without-introduces", "introduces-one-sided"} <= cases


def test_bathe_counters_jailbreak_not_backdoor():
    """Classification by what the paper does: BaThe borrows backdoor wording to defend against jailbreaks."""
    bathe = [rec for _p, rec in records()["paper"].values() if rec["title"].startswith("BaThe")]
    assert len(bathe) == 1
    assert bathe[0]["counters"] == ["jailbreak"]
    assert "backdoor" not in bathe[0].get("attacks", []) + bathe[0]["counters"]
