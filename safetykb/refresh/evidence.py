"""When a recorded answer's evidence backs an id: the id's own page, or two independent sources.

An arXiv id is backed by a page for that exact id (`arxiv.org/abs|html|pdf/<id>`, any version, or
`huggingface.co/papers/<id>`, which mirrors it); a DOI by a page whose address holds the DOI
(`doi.org/<doi>`, a publisher's `/doi/<doi>` landing page), an ACL DOI `10.18653/v1/<anthology id>` by
its ACL Anthology page (`aclanthology.org/<anthology id>`, where that DOI resolves). Otherwise two
evidence pages from independent sources must pair the title with the id. A source is a site, and on
GitHub an account (`qhduan/cn-chat-arxiv` and `HuggingAGI/HuggingArxiv` are two; two repositories of
one account are one); the seed lists' own accounts (sources.yaml) never count: the records were copied
from them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from safetykb.importer.sources import load_sources

_CHECKOUT = Path(__file__).resolve().parents[2]
_GITHUB_HOSTS = ("github.com", "raw.githubusercontent.com")


def source_of(url: str) -> str:
    """The independent source a page belongs to: its host, or 'github.com/<account>' on GitHub."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    if host in _GITHUB_HOSTS:
        account = parts.path.strip("/").split("/")[0].lower()
        return f"github.com/{account}"
    return host


@lru_cache(maxsize=1)
def seed_accounts() -> frozenset[str]:
    """The GitHub accounts of the seed lists (sources.yaml of this checkout)."""
    try:
        sources = load_sources(_CHECKOUT)
    except (OSError, KeyError, TypeError, ValueError):
        return frozenset()
    return frozenset(f"github.com/{s.repository.split('/')[0].lower()}" for s in sources.values())


def own_page(url: str, kind: str, value: str) -> bool:
    """Whether the page is the id's own page."""
    text = unquote(url).lower()
    if kind == "arxiv":
        pattern = (rf"^https?://(www\.|export\.)?arxiv\.org/(abs|html|pdf)/{re.escape(value.lower())}(v\d+)?(\.pdf)?/?$"
                   rf"|^https?://(www\.)?huggingface\.co/papers/{re.escape(value.lower())}/?$")
        return bool(re.match(pattern, text))
    acl = re.match(r"^10\.18653/v1/(.+)$", value.lower())
    if acl and re.match(rf"^https?://([a-z0-9.-]+\.)?aclanthology\.org/(.+/)?{re.escape(acl.group(1))}(\.pdf)?/?$",
                        text):
        return True
    return f"/{value.lower()}" in text and (urlsplit(text).netloc.endswith("doi.org") or "/doi/" in text)


def backs(evidence: list[str], kind: str, value: str) -> bool:
    """Whether the evidence backs an id (`kind` 'arxiv' or 'doi', the bare id)."""
    if any(own_page(url, kind, value) for url in evidence):
        return True
    independent = {source_of(url) for url in evidence} - seed_accounts()
    return len(independent) >= 2
