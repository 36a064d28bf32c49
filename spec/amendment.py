"""Amendments as data, in the law's own form, applied to a spec folder to make a draft.

An amendment file (TOML) lists changes by clause id with the verbs an amending order uses:

- ``replace`` — "изложить в следующей редакции": the clause gets new Russian text, its English
  rendering, and the rules that encode it (every rule of the clause, and of the units inside it,
  is replaced);
- ``insert`` — "дополнить ... N-1": a new point, subpoint, part or абзац after a given clause
  (``after``, a clause or the unit whose last clause it follows), with its citation, text and rules;
- ``delete`` — "исключить": the clause and every unit inside it, their text, registry entries and
  rules; the clause lists of principles, readings and rules stop citing them.

Before the changes, ``[[attribute]]`` entries add facts of the case (to the draft's ``attributes.toml``,
``ordinary-appeal.json`` and ``labels.toml``) or values of a fact the base has, and ``[[value]]`` entries add
answers to a question (``questions.toml``).

``kzappeals amend AMENDMENT --spec BASE --out DRAFT`` copies BASE, applies the changes in order and
loads the result as any draft is loaded (:func:`kzappeals.spec.ruleset.load_ruleset`): every problem
is one line naming the amendment's file and change, or the draft's own file and line.
The shape of the file is declared here, strictly, as :mod:`kzappeals.spec.shapes` does for a draft.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

from kzappeals.spec.attribute_schema import ATTRIBUTES_FILE
from kzappeals.spec.errors import InputError, OutputError
from kzappeals.spec.registry import CLAUSE_ID_RE, CLAUSES_FILE
from kzappeals.spec.shapes import AmendmentFile, ChangeEntry, NewAttributeEntry, RuleEntry, header_lines, parse_shape, read_toml


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def rule_toml(r: RuleEntry) -> str:
    """A ``[[rule]]`` entry as the rule files write it: the keys that differ from their defaults."""
    lines = ["[[rule]]", f"id = {_s(r.id)}"]
    if r.cites:
        lines.append(f"cites = [{', '.join(_s(c) for c in r.cites)}]")
    lines.append(f"when = {_s(r.when)}")
    lines.append("then = { " + ", ".join(f"{q} = {_s(v)}" for q, v in r.then.items()) + " }")
    defaults = RuleEntry(id=r.id, when=r.when, then=r.then)
    for key in ("residual", "gated"):
        if getattr(r, key) != getattr(defaults, key):
            lines.append(f"{key} = {'true' if getattr(r, key) else 'false'}")
    for key in ("prevails_over", "readings"):
        if getattr(r, key):
            lines.append(f"{key} = [{', '.join(_s(x) for x in getattr(r, key))}]")
    for key in ("because", "only_under", "note"):
        if getattr(r, key):
            lines.append(f"{key} = {_s(getattr(r, key))}")
    if r.provisions:
        lines.append("provisions = { " + ", ".join(f"{q} = {_s(c)}" for q, c in r.provisions.items()) + " }")
    return "\n".join(lines) + "\n"


def _under(clause: str, prefix: str) -> bool:
    return clause == prefix or clause.startswith(prefix + ".")


def _rule_clause(rule_id: str) -> str:
    return rule_id.split("/", 1)[0]


class _Blocks:
    """A TOML file of arrays of tables as text blocks: what comes before the first header, then one
    block per ``[[name]]`` entry (its header to the next header), so entries can be replaced, inserted
    and removed while every other byte of the file stays as the author wrote it."""

    def __init__(self, text: str, name: str):
        lines = text.split("\n")
        starts = [n - 1 for n in header_lines(text, name)]
        self.head = "\n".join(lines[: starts[0]]) + "\n" if starts else text
        self.blocks = ["\n".join(lines[a:b]).rstrip("\n") + "\n" for a, b in zip(starts, [*starts[1:], len(lines)])]
        self.ids = [tomllib.loads(b).get(name, [{}])[0].get("id", "") for b in self.blocks]

    def text(self) -> str:
        return self.head.rstrip("\n") + "\n\n" + "\n".join(self.blocks) if self.blocks else self.head


_LIST_LINE = re.compile(r"^(\s*(?:clauses|cites)\s*=\s*)(\[.*\])(\s*)$")


class Amender:
    """Applies an amendment's changes, in order, to the text of a spec folder copied to ``out``."""

    def __init__(self, amendment: AmendmentFile, label: str, out: Path, lines: list[int]):
        """``lines``: of each ``[[change]]`` header of the amendment, for messages."""
        self.a, self.label, self.out, self.lines = amendment, label, out, lines
        self.reg_path = out / "law" / CLAUSES_FILE
        reg_data = tomllib.loads(self.reg_path.read_text(encoding="utf-8"))
        self.law_path = out / "law" / reg_data["law"]["rebuilt_file"]
        self.law = self.law_path.read_text(encoding="utf-8").split("\n")
        self.reg = _Blocks(self.reg_path.read_text(encoding="utf-8"), "clause")
        self.rules = {p.name: _Blocks(p.read_text(encoding="utf-8"), "rule") for p in sorted((out / "rules").glob("*.toml"))}
        self.deleted: set[str] = set()

    # -- the law text ------------------------------------------------------

    def _marker(self, clause: str) -> int | None:
        prefix = f"⟦{clause}⟧"
        return next((i for i, line in enumerate(self.law) if line.startswith(prefix + " ") or line == prefix), None)

    def _block_end(self, start: int) -> int:
        """The line after the clause's text (the text runs to a blank line, a comment or the next marker)."""
        i = start + 1
        while i < len(self.law) and self.law[i].strip() and not self.law[i].startswith(("#", "⟦")):
            i += 1
        return i

    def _text_ids(self) -> list[str]:
        return [m[1] for line in self.law if (m := re.match(r"^⟦([^⟧]*)⟧", line))]

    # -- the changes -------------------------------------------------------

    def where(self, i: int, key: str = "") -> str:
        line = f":{self.lines[i]}" if len(self.lines) == len(self.a.change) else ""
        return f"{self.label}{line}: change {i + 1}" + (f" key '{key}'" if key else "")

    def add_values(self) -> None:
        """New answers go into questions.toml's ``[QUESTION.values]`` table, after its last label."""
        path = self.out / "questions.toml"
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, v in enumerate(self.a.value):
            where = f"{self.label}: value {i + 1} ({v.question} = {v.value})"
            header = next((n for n, line in enumerate(lines) if line.strip() == f"[{v.question}.values]"), None)
            if header is None:
                raise InputError(where + " key 'question'", f"'{v.question}' is not a question with a [{v.question}.values] table")
            end = header + 1
            while end < len(lines) and lines[end].strip() and not lines[end].lstrip().startswith("["):
                if lines[end].split("=")[0].strip() == v.value:
                    raise InputError(where + " key 'value'", f"'{v.value}' is already an answer to '{v.question}'")
                end += 1
            lines.insert(end, f"  {v.value} = {{ en = {_s(v.en)}, ru = {_s(v.ru)} }}")
        path.write_text("\n".join(lines), encoding="utf-8")

    def add_attributes(self) -> None:
        """A new fact of the case goes into attributes.toml before ``unknown_provisions`` (which comes last),
        with its value in ordinary-appeal.json; new values of a base attribute after its last value."""
        if not self.a.attribute:
            return
        path, ordinary_path, labels_path = self.out / ATTRIBUTES_FILE, self.out / "ordinary-appeal.json", self.out / "labels.toml"
        lines = path.read_text(encoding="utf-8").split("\n")
        labels = labels_path.read_text(encoding="utf-8").split("\n")
        ordinary = json.loads(ordinary_path.read_text(encoding="utf-8"))
        for i, a in enumerate(self.a.attribute):
            where = f"{self.label}: attribute {i + 1} ({a.name})"
            header = next((n for n, line in enumerate(lines) if line.strip() == f"[{a.name}]"), None)
            if header is not None:
                self._add_attribute_values(lines, a, where)
            keys = list(a.values) if header is not None or a.type == "enum" else ["true", "false"]
            if sorted(a.labels) != sorted(keys):
                raise InputError(f"{where} key 'labels'", f"gives how each value reads in a finding: {', '.join(keys)}")
            phrases = [f"{k} = {{ en = {_s(a.labels[k].en)}, ru = {_s(a.labels[k].ru)} }}" for k in keys]
            if header is not None:
                at = next(n for n, line in enumerate(labels) if line.strip() == f"[{a.name}]") + 1
                while at < len(labels) and labels[at].strip() and not labels[at].startswith("["):
                    at += 1
                labels[at:at] = phrases
                continue
            at = labels.index("[unknown_provisions]")
            labels[at:at] = [f"[{a.name}]", *phrases, ""]
            lines[lines.index("[unknown_provisions]") : lines.index("[unknown_provisions]")] = self._attribute_table(a, where)
            ordinary = {
                **{k: v for k, v in ordinary.items() if k != "unknown_provisions"},
                a.name: a.ordinary,
                "unknown_provisions": ordinary.get("unknown_provisions", []),
            }
        path.write_text("\n".join(lines), encoding="utf-8")
        labels_path.write_text("\n".join(labels), encoding="utf-8")
        ordinary_path.write_text(json.dumps(ordinary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @staticmethod
    def _attribute_table(a: NewAttributeEntry, where: str) -> list[str]:
        for key in ("description", "ordinary", *(("enum", "title", "values") if a.type == "enum" else ())):
            if getattr(a, key) in ("", None, {}):
                raise InputError(f"{where} key '{key}'", f"a new {a.type} attribute needs it")
        if a.type == "bool" and (a.enum or a.title or a.values):
            raise InputError(where, "a yes/no fact has no enum, title or values")
        if (a.type == "bool") != isinstance(a.ordinary, bool) or (a.type == "enum" and a.ordinary not in a.values):
            raise InputError(f"{where} key 'ordinary'", f"must be {'true or false' if a.type == 'bool' else 'one of its values'}")
        table = [f"[{a.name}]", f"type = {_s(a.type)}"]
        if a.type == "enum":
            table += [f"enum = {_s(a.enum)}", f"title = {_s(a.title)}"]
        table.append(f"description = {_s(a.description)}")
        if a.values:
            table += [f"  [{a.name}.values]", *(f"  {v} = {_s(n)}" for v, n in a.values.items())]
        return [*table, ""]

    @staticmethod
    def _add_attribute_values(lines: list[str], a: NewAttributeEntry, where: str) -> None:
        if a.description or a.enum or a.title or a.ordinary is not None or not a.values:
            raise InputError(where, f"'{a.name}' is an attribute of the base: an amendment only adds values to it")
        header = next((n for n, line in enumerate(lines) if line.strip() == f"[{a.name}.values]"), None)
        if header is None:
            raise InputError(f"{where} key 'values'", f"'{a.name}' is not an enumeration of the base")
        end = header + 1
        while end < len(lines) and lines[end].strip() and not lines[end].lstrip().startswith("["):
            if lines[end].split("=")[0].strip() in a.values:
                raise InputError(f"{where} key 'values'", f"'{lines[end].split('=')[0].strip()}' is already a value of '{a.name}'")
            end += 1
        lines[end:end] = [f"  {v} = {_s(n)}" for v, n in a.values.items()]

    def apply(self) -> None:
        self.add_attributes()
        self.add_values()
        for i, c in enumerate(self.a.change):
            if not CLAUSE_ID_RE.match(c.clause):
                raise InputError(self.where(i, "clause"), f"'{c.clause}' does not match the clause id grammar (p54.pp5-1, p26-1, ...)")
            needs = {"replace": ("text_ru", "text_en"), "insert": ("text_ru", "text_en", "cite_ru", "cite_en", "after"), "delete": ()}
            for key in needs[c.verb]:
                if not getattr(c, key):
                    raise InputError(self.where(i, key), f"a '{c.verb}' needs it")
            if c.verb == "delete" and (c.text_ru or c.text_en or c.rule):
                raise InputError(self.where(i), "a 'delete' takes no text and no rules")
            if c.verb != "delete" and c.kind in ("decision-rule", "pointer") and not c.rule:
                raise InputError(self.where(i, "rule"), f"a {c.kind} clause needs the rules that encode it")
            for r in c.rule:
                if not _under(_rule_clause(r.id), c.clause):
                    raise InputError(self.where(i, "rule"), f"rule '{r.id}' does not encode clause '{c.clause}' (its id names its clause)")
            getattr(self, c.verb)(i, c)
        self._drop_citations()

    def replace(self, i: int, c: ChangeEntry) -> None:
        start = self._marker(c.clause)
        if start is None or c.clause not in self.reg.ids:
            raise InputError(self.where(i, "clause"), f"'{c.clause}' is not a clause with text in the base")
        if "{?" in " ".join(self.law[start : self._block_end(start)]):
            raise InputError(self.where(i, "clause"), f"'{c.clause}' holds an uncertain reconstruction ({{?N}}): amend it by hand")
        self.law[start : self._block_end(start)] = [f"⟦{c.clause}⟧ {' '.join(c.text_ru.split())}"]
        k = self.reg.ids.index(c.clause)
        block = re.sub(r"(?m)^text_en = .*$", lambda _: f"text_en = {_s(c.text_en)}", self.reg.blocks[k], count=1)
        if c.note:
            block = re.sub(r"(?m)^note = .*\n?", "", block).rstrip("\n") + f"\nnote = {_s(c.note)}\n"
        self.reg.blocks[k] = block
        self._put_rules(i, c)

    def insert(self, i: int, c: ChangeEntry) -> None:
        if c.clause in self.reg.ids:
            raise InputError(self.where(i, "clause"), f"'{c.clause}' is already a clause of the base")
        order = self._text_ids()
        after = [x for x in order if _under(x, c.after)]
        if not after:
            raise InputError(self.where(i, "after"), f"'{c.after}' is no clause (or unit) with text in the base")
        last = after[-1]
        end = self._block_end(self._marker(last) or 0)
        self.law[end:end] = [f"⟦{c.clause}⟧ {' '.join(c.text_ru.split())}"]
        entry = [
            "[[clause]]",
            f"id = {_s(c.clause)}",
            f"cite_ru = {_s(c.cite_ru)}",
            f"cite_en = {_s(c.cite_en)}",
            f"kind = {_s(c.kind)}",
            'status = "text"',
            f"text_en = {_s(c.text_en)}",
        ]
        if c.kind not in ("decision-rule", "pointer"):
            entry.append(f"encoding = {_s('Not encoded: ' + (c.note or 'no decision to encode.'))}")
        elif c.note:
            entry.append(f"note = {_s(c.note)}")
        self.reg.blocks.insert(self.reg.ids.index(last) + 1, "\n".join(entry) + "\n")
        self.reg.ids.insert(self.reg.ids.index(last) + 1, c.clause)
        self._put_rules(i, c)

    def delete(self, i: int, c: ChangeEntry) -> None:
        gone = [x for x in self.reg.ids if _under(x, c.clause)]
        if not gone:
            raise InputError(self.where(i, "clause"), f"'{c.clause}' is no clause (or unit) of the base")
        for x in gone:
            start = self._marker(x)
            if start is not None:
                del self.law[start : self._block_end(start)]
            k = self.reg.ids.index(x)
            del self.reg.blocks[k], self.reg.ids[k]
        self.deleted |= set(gone)
        self._remove_rules(c.clause)

    # -- rules -------------------------------------------------------------

    def _remove_rules(self, clause: str) -> tuple[str, int] | None:
        """Removes every rule encoding ``clause`` (or a unit inside it); returns where the first one was."""
        found = []
        for name, f in self.rules.items():
            for k in reversed(range(len(f.ids))):
                if _under(_rule_clause(f.ids[k]), clause):
                    found.append((name, k))
                    del f.blocks[k], f.ids[k]
        return min(found, key=lambda x: (list(self.rules).index(x[0]), x[1])) if found else None

    def _put_rules(self, i: int, c: ChangeEntry) -> None:
        """The change's rules go where the rules they replace were; an inserted clause's after the rules of
        the clause it follows; else (or with ``rules_file``) at the end of that file or the point's file."""
        at = self._remove_rules(c.clause)
        name = c.rules_file.removeprefix("rules/")
        if name and not re.fullmatch(r"[a-z0-9\-]+\.toml", name):
            raise InputError(self.where(i, "rules_file"), f"'{c.rules_file}' is not a rule file name such as p54.toml")
        if at is None and c.verb == "insert" and not name:
            near = [(n, k) for n, f in self.rules.items() for k, r in enumerate(f.ids) if _under(_rule_clause(r), c.after)]
            at = (near[-1][0], near[-1][1] + 1) if near else None
        if name and (at is None or at[0] != name):
            at = (name, len(self.rules[name].blocks) if name in self.rules else 0)
        if at is None:
            point = c.clause.split(".")[0]
            name = next((n for n, f in self.rules.items() if any(_rule_clause(r).split(".")[0] == point for r in f.ids)), f"{point}.toml")
            at = (name, len(self.rules[name].blocks) if name in self.rules else 0)
        name, k = at
        f = self.rules.setdefault(name, _Blocks(f"# Rules written by kzappeals amend from {self.label}.\n", "rule"))
        f.blocks[k:k] = [rule_toml(r) for r in c.rule]
        f.ids[k:k] = [r.id for r in c.rule]

    def _drop_citations(self) -> None:
        """A deleted clause is no longer cited by the clause lists of rules, principles, readings and lapses
        (each is a list of what the entry rests on); any other use is left for the loader to report."""
        if not self.deleted:
            return
        files = [self.out / n for n in ("principles.toml", "profiles.toml", "questions.toml")]
        for f in self.rules.values():
            f.blocks = [self._filter_lists(b) for b in f.blocks]
        for path in files:
            if path.exists():
                path.write_text(self._filter_lists(path.read_text(encoding="utf-8")), encoding="utf-8")

    def _filter_lists(self, text: str) -> str:
        out = []
        for line in text.split("\n"):
            m = _LIST_LINE.match(line)
            if m:
                items = tomllib.loads(f"x = {m[2]}")["x"]
                kept = [x for x in items if x not in self.deleted]
                if kept != items:
                    line = f"{m[1]}[{', '.join(_s(x) for x in kept)}]{m[3]}"
            out.append(line)
        return "\n".join(out)

    def write(self) -> None:
        self.law_path.write_text("\n".join(self.law), encoding="utf-8")
        self.reg_path.write_text(self.reg.text(), encoding="utf-8")
        for name, f in self.rules.items():
            (self.out / "rules" / name).write_text(f.text(), encoding="utf-8")


def load_amendment(path: Path) -> tuple[AmendmentFile, list[int]]:
    """The amendment, and the line of each of its ``[[change]]`` headers."""
    label = str(path)
    data, text = read_toml(path, label)
    return parse_shape(AmendmentFile, data, text, label), header_lines(text, "change")


def amend(amendment: Path, base: Path, out: Path) -> Path:
    """Writes the draft ``out``: ``base`` with the amendment applied; returns ``out``.

    Raises:
        InputError: the amendment is malformed, names a clause the base lacks, or the draft it makes does
            not load (naming the draft's own file and line).
        OutputError: the draft could not be written (exit 5).
    """
    from kzappeals.spec.ruleset import load_ruleset

    parsed, lines = load_amendment(amendment)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"--out {out}", "exists and is not an empty folder: the draft is written to a new one")
    try:
        shutil.copytree(base, out, ignore=shutil.ignore_patterns("__pycache__", "*.py", "schemas"), dirs_exist_ok=True)
        amender = Amender(parsed, str(amendment), out, lines)
        amender.apply()
        amender.write()
    except OSError as exc:
        raise OutputError(str(exc.filename or out), exc.strerror or str(exc)) from None
    # A draft that does not load is left written, so that the drafter can read the lines named.
    load_ruleset(out)
    return out
