"""Synthetic knowledge bases: N valid paper records over a real taxonomy, for the benchmark.

The papers look like the real ones in size and link density (3-8 authors,
8-15 word titles, 1-2 model families, 1-3 attack or defense types, datasets and
benchmarks introduced and used, dates 2019-2026) and validate clean: ids,
arXiv ids and titles are unique. Generation is seeded, so a size always gives
the same knowledge base.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from safetykb.core.duplicates import normalise_title
from safetykb.core.layout import FOLDERS
from safetykb.core.validation import load_kb

YEARS = range(2019, 2027)


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


_GIVEN = _words(
    "Wei Yichen Li Jun Xiao Ming Hao Yu Jing Lei Chen Tao Anna Maria Sofia Lucas Liam Noah Emma Olivia "
    "David Daniel Sarah Laura Elena Ivan Dmitri Olga Hiroshi Yuki Kenji Aiko Min-jun Ji-woo Seo-yeon Arjun "
    "Priya Rahul Ananya Omar Fatima Ahmed Leila Pierre Camille Jonas Lena Felix Mateo Lucia Diego Tomasz "
    "Katarzyna Nikos Eleni Kwame Amara Tunde Zainab Mehmet Elif Ravi Deepa Sanjay Mei Xin Rui Zhe Kai"
)
_FAMILY = _words(
    "Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie "
    "Tang Han Cao Deng Feng Zeng Peng Smith Johnson Brown Miller Davis Garcia Rodriguez Martinez Lopez "
    "Wilson Anderson Taylor Thomas Moore Martin Jackson Lee Kim Park Choi Jung Kang Cho Yoon Tanaka Suzuki "
    "Sato Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Singh Kumar Sharma Patel Gupta Reddy Iyer "
    "Nair Khan Ali Hassan Ibrahim Rossi Russo Ferrari Bianchi Romano Muller Schmidt Schneider Fischer "
    "Weber Meyer Wagner Becker Hoffmann Dubois Bernard Moreau Laurent Petit Ivanov Petrov Smirnov Novak "
    "Kowalski Nowak Silva Santos Oliveira Costa Pereira Almeida Carvalho Nguyen Tran Pham Hoang Vu Dang "
    "Carlini Tramer Goodfellow Papernot Madry Kolter Zou Gong Qi Shen Chao Mazeika Robey Wei Huang Jain"
)
_METHOD_PARTS = _words(
    "Jail Break Shield Guard Trojan Purify Adv Safe Prompt Stealth Shadow Mirror Veil Lock Trace Echo "
    "Mask Probe Sentinel Fig Step Flip Drift Spark Venom Hydra Aegis Bastion Cipher Ghost Phantom Prism "
    "Anchor Beacon Forge Glyph Nexus Orbit Pulse Rune Sigil Tide Vortex Warden Zero Blur Crack Mend"
)
_ADJECTIVES = _words(
    "robust universal transferable stealthy efficient adaptive certified scalable multimodal visual "
    "textual black-box white-box targeted untargeted invisible physical semantic latent contrastive "
    "compositional hierarchical lightweight provable practical automated iterative gradient-free "
    "query-efficient cross-modal fine-grained training-free plug-and-play"
)
_NOUNS = _words(
    "attacks defenses jailbreaks backdoors triggers prompts perturbations examples models agents "
    "alignment guardrails watermarks benchmarks datasets evaluation detection purification unlearning "
    "poisoning injection extraction inference leakage robustness vulnerabilities threats tokens images "
    "captions embeddings representations instructions policies rewards classifiers encoders decoders "
    "diffusion transformers retrieval memory tools planners"
)
_CONTEXTS = _words(
    "large language models|vision-language models|multimodal large language models|diffusion models|"
    "text-to-image generation|LLM agents|embodied agents|multi-agent systems|vision transformers|"
    "segment anything|CLIP|retrieval-augmented generation|code assistants|web agents|autonomous driving|"
    "instruction tuning|federated learning|safety alignment|red teaming|preference optimisation"
, "|")
#: How often each context ends a title: about the shares of the seed lists (15% '... language models',
#: 9% diffusion models), which matter because duplicate detection compares titles with equal endings.
_CONTEXT_WEIGHTS = (9, 4, 2, 9, 8, 6, 4, 4, 6, 4, 6, 6, 4, 4, 2, 4, 2, 4, 4, 2)
_VERBS = _words(
    "Breaking Defending Exposing Mitigating Detecting Rethinking Understanding Benchmarking Evaluating "
    "Revisiting Hijacking Poisoning Shielding Certifying Auditing Erasing Stealing Probing Unlearning"
)
_VENUES = ("arXiv", "arXiv", "arXiv", "NeurIPS", "ICLR", "ICML", "CVPR", "ICCV", "ECCV", "ACL", "EMNLP",
           "NAACL", "AAAI", "IJCAI", "USENIX Security", "IEEE S&P", "CCS", "NDSS", "TPAMI", "TIFS", "ACM MM")
_SUMMARY = (
    "Proposes {m}, which {v} {a} against {c} and reports results on {n} settings.",
    "Studies how {a} behave on {c} and introduces {m} to {v} them with little extra cost.",
    "Introduces {m}, a {adj} method that {v} {a} in {c}; evaluated on {n} open and closed models.",
)
_SUMMARY_VERBS = ("mounts", "detects", "mitigates", "measures", "removes", "transfers", "certifies")


class _Taxonomy:
    """The ids a synthetic paper may reference, read from a valid knowledge base."""

    def __init__(self, root: Path) -> None:
        kb = load_kb(root)
        self.models = sorted(kb.of("model"))
        self.attacks = sorted(kb.of("attack"))
        self.defenses = {d: list(r.get("counters") or []) for d, r in sorted(kb.of("defense").items())}
        self.resources = sorted(kb.of("dataset")) + sorted(kb.of("benchmark"))
        self.ids = {record["id"] for _kind, record in kb}
        self.papers = kb.papers
        # Papers the taxonomy and the result sets point at (introduced_in, source): copied so references resolve.
        self.needed_papers = {r.get("introduced_in") for k in ("dataset", "benchmark") for r in kb.of(k).values()}
        self.needed_papers |= {r.get("source") for r in kb.of("result").values()}  # results/ is copied too
        self.needed_papers.discard(None)
        self.labels = _section_labels(root / "taxonomy" / "sections.yaml")


def _section_labels(path: Path) -> dict[str, list[str]]:
    """Section labels of each seed list (for `filed_under`), when the mapping exists."""
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    labels: dict[str, list[str]] = {}
    for name, body in data.items():
        sections = body.get("sections") if isinstance(body, dict) else None
        found = [s["label"] for s in sections or [] if isinstance(s, dict) and isinstance(s.get("label"), str)]
        if found:
            labels[name] = found
    return labels


def real_papers_needed(source: Path) -> int:
    """How many real papers every synthetic knowledge base starts from (those the taxonomy and the result
    sets point at): the smallest size `generate` can make."""
    return len(_Taxonomy(source).needed_papers)


def generate(source: Path, dest: Path, n_papers: int, seed: int = 7) -> dict[str, int]:
    """Write a knowledge base of n_papers papers into dest (taxonomy and site files copied from source).

    Returns the record counts. The taxonomy (and the few real papers it points at) comes from source;
    every other paper, and one synthetic dataset or benchmark per 40 papers, is generated.
    """
    tax = _Taxonomy(source)
    rng = random.Random(seed + n_papers)
    shutil.copytree(source / "taxonomy", dest / "taxonomy", dirs_exist_ok=True)
    for paper_id in sorted(tax.needed_papers):
        year = tax.papers[paper_id]["year"]
        src = source / FOLDERS["paper"] / str(year) / f"{paper_id}.yaml"
        (dest / "papers" / str(year)).mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / "papers" / str(year) / src.name)
    gen = _Generator(tax, rng)
    count = max(0, n_papers - len(tax.needed_papers))
    papers = [gen.paper() for _ in range(count)]
    resources = gen.resources(papers, count // 40)
    for record in papers:
        _write(dest / "papers" / str(record["year"]) / f"{record['id']}.yaml", "../../", "paper", record)
    for kind, record in resources:
        _write(dest / FOLDERS[kind] / f"{record['id']}.yaml", "../../", kind, record)
    return {"paper": count + len(tax.needed_papers), "resource": len(resources)}


class _Generator:
    def __init__(self, tax: _Taxonomy, rng: random.Random) -> None:
        self.tax = tax
        self.rng = rng
        self.ids = set(tax.ids)
        self.titles = {normalise_title(p["title"]) for p in tax.papers.values()}
        self.arxiv: set[str] = set()

    def paper(self) -> dict[str, Any]:
        rng = self.rng
        year = rng.choice(YEARS)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        method = self._method()
        title = self._title(method)
        authors = [f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}" for _ in range(rng.randint(3, 8))]
        record: dict[str, Any] = {
            "id": self._id(authors[0].split()[-1], year, title),
            "title": title,
            "authors": authors,
            "year": year,
            "date": f"{year}-{month:02d}-{day:02d}",
            "venue": rng.choice(_VENUES),
            "links": self._links(year, month, method),
            "models": rng.sample(self.tax.models, rng.randint(1, 2)),
        }
        role = rng.choices(("attack", "defense", "evaluation", "survey"), (45, 35, 17, 3))[0]
        record["contribution"] = [role]
        if role == "attack":
            record["attacks"] = rng.sample(self.tax.attacks, rng.randint(1, 3))
            record["threat_model"] = rng.choice(("white-box", "gray-box", "black-box"))
        elif role == "defense":
            defenses = rng.sample(sorted(self.tax.defenses), rng.randint(1, 2))
            counters = sorted({a for d in defenses for a in self.tax.defenses[d]}) or self.tax.attacks
            record["defenses"] = defenses
            record["counters"] = rng.sample(counters, min(len(counters), rng.randint(1, 3)))
        else:
            record["evaluates"] = rng.sample(self.tax.attacks, rng.randint(1, 3))
        if self.tax.resources and rng.random() < 0.4:
            record["uses"] = rng.sample(self.tax.resources, min(len(self.tax.resources), rng.randint(1, 2)))
        record["method"] = method
        record["summary"] = rng.choice(_SUMMARY).format(
            m=method, v=rng.choice(_SUMMARY_VERBS), a=rng.choice(_NOUNS), c=rng.choice(_CONTEXTS),
            n=rng.randint(2, 12), adj=rng.choice(_ADJECTIVES))
        if self.tax.labels and rng.random() < 0.7:
            name = rng.choice(sorted(self.tax.labels))
            record["filed_under"] = {name: [rng.choice(self.tax.labels[name])]}
            record["sources"] = [name]
        else:
            record["sources"] = ["contributor"]
        record["status"] = rng.choice(("auto", "auto", "reviewed"))
        record["added"] = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        return record

    def resources(self, papers: list[dict[str, Any]], count: int) -> list[tuple[str, dict[str, Any]]]:
        """count datasets/benchmarks, each introduced by a distinct synthetic paper that says so."""
        out: list[tuple[str, dict[str, Any]]] = []
        hosts = self.rng.sample(papers, min(count, len(papers)))
        for paper in hosts:
            kind = self.rng.choice(("dataset", "benchmark"))
            name = f"{paper['method']}-{kind[:5].capitalize()}"
            rid = self._unique(name.lower())
            paper.setdefault("introduces", []).append(rid)
            if kind not in [c for c in paper["contribution"]]:
                paper["contribution"].append(kind)
            out.append((kind, {
                "id": rid,
                "name": name,
                "description": f"A {kind} of {self.rng.choice(_NOUNS)} for {self.rng.choice(_CONTEXTS)}.",
                "introduced_in": paper["id"],
                "links": {"code": f"https://github.com/example/{rid}"},
                "models": list(paper["models"]),
                "evaluates": self.rng.sample(self.tax.attacks, self.rng.randint(1, 2)),
                "year": paper["year"],
            }))
        return out

    def _method(self) -> str:
        rng = self.rng
        return rng.choice(_METHOD_PARTS) + rng.choice(_METHOD_PARTS) + rng.choice(("", "", "", "++", "-2", "X"))

    def _title(self, method: str) -> str:
        """8-15 words; like real titles, most end on a model family (a sixth on 'large language models')."""
        rng = self.rng
        while True:
            words = [rng.choice(_VERBS), rng.choice(_ADJECTIVES), rng.choice(_NOUNS)]
            ending = rng.choices(_CONTEXTS, _CONTEXT_WEIGHTS)[0].split()
            while len(words) + len(ending) + 1 < rng.randint(8, 15):
                words += [rng.choice(("and", "with", "under")), rng.choice(_ADJECTIVES), rng.choice(_NOUNS)]
            words += [rng.choice(("in", "for", "against", "on", "of")), *ending]
            words[1] = words[1].capitalize()
            title = f"{method}: " + " ".join(words) if rng.random() < 0.6 else " ".join(words)
            norm = normalise_title(title)
            if norm not in self.titles:
                self.titles.add(norm)
                return title

    def _id(self, family: str, year: int, title: str) -> str:
        skip = {"a", "an", "the", "on", "of", "towards", "toward", "in", "for", "via"}
        words = [w for w in "".join(c if c.isalnum() else " " for c in title.lower()).split() if w not in skip]
        base = "".join(c for c in family.lower() if c.isalnum()) + str(year) + (words[0] if words else "paper")
        return self._unique(base)

    def _unique(self, base: str) -> str:
        base = "-".join("".join(c if c.isalnum() else " " for c in base.lower()).split())
        candidate, n = base, 0
        while candidate in self.ids:
            n += 1
            candidate = base + _suffix(n)
        self.ids.add(candidate)
        return candidate

    def _links(self, year: int, month: int, method: str) -> dict[str, str]:
        while True:
            arxiv = f"{year % 100:02d}{month:02d}.{self.rng.randint(0, 99999):05d}"
            if arxiv not in self.arxiv:
                self.arxiv.add(arxiv)
                break
        links = {"arxiv": arxiv}
        if self.rng.random() < 0.5:
            links["code"] = f"https://github.com/example/{method.lower().replace('+', 'p')}-{arxiv}"
        return links


def _suffix(n: int) -> str:
    """b, c, ... z, then ba, bb ... for the n-th collision."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = ""
    while n:
        n, r = divmod(n, 26)
        text = letters[r] + text
    return text


def _write(path: Path, up: str, kind: str, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    hint = f"# yaml-language-server: $schema={up}safetykb/schemas/{kind}.schema.json\n"
    body = yaml.dump(record, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(hint + body, encoding="utf-8")
