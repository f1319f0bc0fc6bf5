"""Parsers of both seed lists, field by field, on hand-written fixture lists."""

from pathlib import Path

from safetykb.importer import large_model_list, lvlm_list
from safetykb.importer.model import Person

FIX = Path(__file__).parent / "fixtures" / "import"


def _parse_lvlm(folder: str = "data"):
    text = (FIX / folder / "awesome-lvlm-safety" / "README.md").read_text(encoding="utf-8")
    return lvlm_list.parse(text, "lvlm.md")


def _parse_lm(folder: str = "data"):
    text = (FIX / folder / "awesome-large-model-safety" / "README.md").read_text(encoding="utf-8")
    return large_model_list.parse(text, "lm.md")


def test_lvlm_entries_field_by_field():
    entries, problems = _parse_lvlm()
    assert problems == []
    assert [e.line for e in entries] == [7, 11, 15, 19, 25, 32, 36]
    assert [e.heading for e in entries] == ["Attacks"] * 4 + ["Defenses"] + ["Evaluations"] * 2
    a = entries[0]
    assert a.title == "Alpha Attack: Fooling Large Vision-Language Models"
    assert a.date == "2023-05-26" and a.year == 2023
    assert a.arxiv == "2305.00001" and a.url is None
    assert a.code == "https://github.com/alice/alpha"
    assert a.authors == [Person("Alice", "Smith"), Person("Bob", "van der Berg"), Person("Chen", "Li")]
    assert a.affiliations == ["University of California, Berkeley", "Tsinghua University"]
    assert (a.venue, a.venue_note, a.venue_year) == ("NeurIPS", None, 2023)


def test_lvlm_split_bold_html_entity_and_version():
    entries, _ = _parse_lvlm()
    b = entries[1]  # **[date] [title](url)**, &#39;, arXiv id with v2
    assert b.title == "Beta Jailbreak: Google's Model Under Attack"
    assert b.arxiv == "2306.00002"
    assert (b.venue, b.venue_note) == ("AAAI", "Oral")
    assert (b.year, b.venue_year) == (2023, 2024), "first public year from the date; the venue's own year kept"
    assert b.code is None
    c = entries[2]  # **[2024.03.14**] and www.arxiv.org
    assert c.date == "2024-03-14" and c.arxiv == "2403.00003"
    assert (c.venue, c.venue_note) == ("ICCV", "AROW")
    assert c.authors == [Person("Frank", "Miller")]


def test_lvlm_non_arxiv_link_and_missing_affiliation():
    entries, _ = _parse_lvlm()
    d = entries[3]  # [**title**](url), two sub-items
    assert d.title == "Delta: Jailbreaking Without arXiv"
    assert d.arxiv is None and d.url == "https://openaccess.thecvf.com/content/Delta.html"
    assert d.code == "https://github.com/naver/delta"
    assert d.authors == [Person("Grace", "Kim"), Person("Hyun", "Park")]
    assert d.affiliations == []
    assert (d.venue, d.venue_note) == ("EMNLP", "Findings")
    assert (entries[4].venue, entries[4].venue_note) == ("ICML", "Workshop")


def test_large_model_entries_field_by_field():
    entries, problems = _parse_lm()
    assert problems == []
    assert len(entries) == 11
    a = entries[0]
    assert (a.line, a.chapter, a.heading) == (12, "Vison Language Model Safety", "Jailbreak Attacks")
    assert a.title == "Alpha attack: Fooling large vision-language models"
    assert a.authors == [Person("Alice", "Smith"), Person("Bob", "van der Berg"), Person("Chen", "Li")]
    assert (a.venue, a.arxiv, a.year, a.date) == ("arXiv", "2305.00001", 2023, "2023-05")
    ab = entries[1]
    assert ab.title == "(Ab) using images for prompt injection" and ab.date is None and ab.arxiv is None


def test_large_model_entities_latex_journal_and_others():
    entries, _ = _parse_lm()
    s = next(e for e in entries if e.title.startswith("Safety"))
    assert s.title == "Safety & Security: A Defense of LLM Alignment"
    assert s.authors == [Person("Jörg", "Müller"), Person("Florian", "Tramèr")]
    assert any("others" in w for w in s.warnings)
    assert (s.venue, s.year) == ("IEEE TIFS", 2024)
    t = next(e for e in entries if e.title == "Trojan Words: Backdooring Language Models")
    assert t.authors == [
        Person("Qingjie", "Zhang"),
        Person("Han", "Qiu"),
        Person("Di", "Wang"),
    ]  # BibTeX 'and'
    assert t.venue == "IEEE S&P"
    p = next(e for e in entries if e.title.startswith("Trojan Prompts"))
    assert p.authors == [Person("Qingjie", "Zhang")] and p.venue == "USENIX Security"
    m = next(e for e in entries if e.title.startswith("Mixed Bag"))
    assert (m.venue, m.venue_note, m.heading) == ("ACL", "Findings", "Safety Alignment")


def test_large_model_ignores_text_outside_papers():
    entries, _ = _parse_lm()
    assert not any("Not an entry" in e.title for e in entries)


def test_malformed_entries_are_reported_with_lines_not_dropped():
    entries, problems = _parse_lvlm("malformed")
    assert [e.title for e in entries] == ["Good Entry: Parsed Fine"]
    assert [(p.line, p.list, p.heading) for p in problems] == [
        (9, "awesome-lvlm-safety", "Attacks"),
        (12, "awesome-lvlm-safety", "Attacks"),
        (15, "awesome-lvlm-safety", "Attacks"),
    ]
    assert "bad date" in problems[0].message
    entries, problems = _parse_lm("malformed")
    assert [e.title for e in entries] == ["Fine entry"]
    assert [p.line for p in problems] == [6, 15, 18]
    assert all(p.path == "lm.md" and p.severity == "error" for p in problems)
