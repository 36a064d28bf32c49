"""The clause registry and the rebuilt law text it reads."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest

from kzappeals.spec.errors import InputError
from kzappeals.spec.registry import CLAUSE_ID_RE, CLAUSES_FILE, citation, encoded_kinds, load_registry

LAW = Path(str(files("kzappeals.spec") / "law"))
REG = load_registry()

# One extraction glitch glued a displaced link word to the word before it
# ("иИнструкции"); a lower-to-upper case change inside a word is a word boundary
# in both files, so the rebuilt "и Инструкции" counts as the same two words.
_GLUE = re.compile(r"(?<=[a-zа-яёәіңғүұқөһ])(?=[A-ZА-ЯЁӘІҢҒҮҰҚӨҺ])")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(_GLUE.sub(" ", text)))


def rebuilt_words(text: str) -> Counter[str]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    body = re.sub(r"⟦[^⟧]*⟧", " ", body)
    return words(re.sub(r"\{\?\d+\}", "", body))


def test_fidelity_rebuilt_text_has_exactly_the_seed_words() -> None:
    raw = words((LAW / REG.law.raw_file).read_text(encoding="utf-8"))
    rebuilt = rebuilt_words((LAW / REG.law.rebuilt_file).read_text(encoding="utf-8"))
    assert sum(raw.values()) > 1500
    assert rebuilt - raw == Counter(), "words not in the seed (invented)"
    assert raw - rebuilt == Counter(), "seed words missing from the rebuilt text (lost)"


def test_every_word_of_the_rebuilt_body_is_in_a_clause() -> None:
    text_words = Counter()
    for c in REG.clauses:
        if c.text_ru:
            text_words += words(c.text_ru)
    raw = words((LAW / REG.law.raw_file).read_text(encoding="utf-8"))
    assert text_words == raw


def test_registry_loads_with_unique_grammatical_ids() -> None:
    ids = REG.ids()
    assert len(ids) == len(set(ids))
    assert all(CLAUSE_ID_RE.match(i) for i in ids), [i for i in ids if not CLAUSE_ID_RE.match(i)]
    for required in ("p23.ch5", "p54.pp5.a6", "o165.p1.a14", "ch7", "p54.pp1", "ext.law221"):
        assert required in REG


def test_text_status_matches_presence_of_text() -> None:
    for c in REG.clauses:
        if c.status == "text":
            assert c.text_ru and c.text_en, c.id
        else:
            assert c.text_ru is None and c.text_en is None, c.id


def test_encoding_and_uncertainty_are_documented() -> None:
    for c in REG.clauses:
        if c.kind not in encoded_kinds:
            assert c.encoding, c.id
        if c.uncertain_notes:
            assert c.uncertain, c.id
    assert any(c.uncertain_notes for c in REG.clauses)


def test_lookup_and_citation() -> None:
    assert REG.get("p54.pp5.a3").text_ru.startswith("поступившие из Администрации Президента")
    assert "{?" not in REG.get("p23.pp3.ch2").text_ru
    assert citation("p54.pp5.a3", "ru") == "абзац третий подпункта 5) пункта 54"
    assert citation("p54.pp5.a3", "en") == "point 54, subpoint 5), paragraph 3"
    with pytest.raises(InputError) as err:
        REG.get("p99")
    assert err.value.where == "clause id 'p99'"


# Bad input: each case edits a temp copy of the two files.


def _copy(tmp_path: Path) -> Path:
    for name in (CLAUSES_FILE, REG.law.raw_file, REG.law.rebuilt_file):
        shutil.copy(LAW / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_broken_toml_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / CLAUSES_FILE, 'id = "p15"', 'id = "p15')
    with pytest.raises(InputError) as err:
        load_registry(folder)
    line = _line_of(folder / CLAUSES_FILE, 'id = "p15')
    assert err.value.where == f"{folder}/{CLAUSES_FILE}:{line}"  # a draft's registry is named by its own path


def test_unknown_kind_names_file_line_and_clause(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / CLAUSES_FILE
    _edit(
        toml,
        'id = "p15"\ncite_ru = "пункт 15"\ncite_en = "point 15"\nkind = "decision-rule"',
        'id = "p15"\ncite_ru = "пункт 15"\ncite_en = "point 15"\nkind = "rule"',
    )
    with pytest.raises(InputError) as err:
        load_registry(folder)
    header_line = _line_of(toml, 'id = "p15"') - 1
    assert err.value.where == f"{folder}/{CLAUSES_FILE}:{header_line}"
    assert err.value.clause == "p15" and "'rule'" in err.value.reason


def test_marker_without_entry_names_law_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    law = folder / REG.law.rebuilt_file
    _edit(law, "⟦p54.pp4⟧ 4) исключить;", "⟦p54.pp4⟧ 4) исключить;\n⟦p54.pp4.a2⟧ исключить;")
    with pytest.raises(InputError) as err:
        load_registry(folder)
    assert err.value.where == f"{folder}/{REG.law.rebuilt_file}:{_line_of(law, '⟦p54.pp4.a2⟧')}"
    assert err.value.clause == "p54.pp4.a2" and "no entry" in err.value.reason


def test_text_entry_without_marker_names_registry_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / REG.law.rebuilt_file, "⟦p15⟧", "⟦p16⟧")
    with pytest.raises(InputError) as err:
        load_registry(folder)
    assert err.value.where.startswith(f"{folder}/{CLAUSES_FILE}:") and err.value.clause == "p15"
    assert "no marker" in err.value.reason


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('id = "p15"', 'id = "p23.ch5"', "registered twice"),
        ('id = "p15"', 'id = "P-15"', "grammar"),
        ('kind = "deleted"\nstatus = "text"', 'kind = "deleted"\nstatus = "text"\nbogus = 1', "bogus"),
    ],
)
def test_other_registry_errors(tmp_path: Path, old: str, new: str, reason: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder / CLAUSES_FILE, old, new)
    with pytest.raises(InputError) as err:
        load_registry(folder)
    assert err.value.where.startswith(f"{folder}/{CLAUSES_FILE}:") and reason in err.value.reason


def test_uncertainty_marker_without_note(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / REG.law.rebuilt_file, "# ?3:", "# ?9:")
    with pytest.raises(InputError) as err:
        load_registry(folder)
    assert err.value.where.startswith(f"{folder}/{REG.law.rebuilt_file}") and "?3" in err.value.reason
