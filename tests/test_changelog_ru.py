"""The data changelog in Russian: one comparison of two data folders, said in each language.

The English changelog is the one CHANGELOG.md has always had; the Russian one (CHANGELOG.ru.md, the
Russian Editions chapter, `clusterbench diff --lang ru`) has the same lines, section by section, with
the same numbers written the Russian way and the Russian edition's names.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import CHANGED, _set_changed_value

from analysis.data.register import Entry
from analysis.paths import DATA
from analysis.text import speaking
from clusterbench.editions import changelog

NBSP = "\u00a0"  # Babel's (CLDR's) Russian thousands separator


#: An edition number (2026.1) reads the same in both languages; it is not a number with a decimal point.
_EDITION = re.compile(r"\b\d{4}\.\d+\b")


def numbers_en(line: str) -> list[float]:
    """The numbers of an English changelog line: 1,234.5."""
    return sorted(float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", _EDITION.sub("", line)))


def numbers_ru(line: str) -> list[float]:
    """The numbers of a Russian changelog line: 1 234,5 (no-break spaces between thousands)."""
    found = re.findall(r"\d(?:[\d\u00a0\u202f]*\d)?(?:,\d+)?", _EDITION.sub("", line))
    return sorted(float(re.sub(r"[\u00a0\u202f]", "", n).replace(",", ".")) for n in found)


@pytest.fixture(scope="module")
def changes(tmp_path_factory):
    """A value changed to 1,234,567.5 and a practice added (it has no Russian text yet)."""
    root = tmp_path_factory.mktemp("changelog-ru")
    old, new = root / "old", root / "new"
    shutil.copytree(DATA, old)
    shutil.copytree(DATA, new)
    _set_changed_value(new, "1234567.5")
    practices = new / "practices"
    template = next(practices.glob("BP-052-*.md")).read_text(encoding="utf-8")
    added = re.sub(r"(?m)^id: BP-052$", "id: BP-099", template)
    added = re.sub(r"(?m)^title: .*$", 'title: "An English title only"', added)
    (practices / "BP-099-english-only.md").write_text(added, encoding="utf-8")
    return changelog.diff(old, new)


def test_a_changed_value_reads_in_russian_with_the_same_numbers_and_russian_names(changes):
    english = changelog.changes_markdown(changes)
    with speaking("ru"):
        russian = changelog.changes_markdown(changes)
    assert "changed from 12,400 people to 1,234,567.5 people" in english  # English as it always was
    assert russian.startswith("### Значения\n\n- Калужская фармацевтика: численность занятых")
    assert f"значение изменено с 12{NBSP}400 человек на 1{NBSP}234{NBSP}567,5 человека (источник: " in russian
    assert "### Практики\n\n- Добавлена практика BP-099." in russian  # no Russian title yet: the id alone
    assert "An English title only" not in russian and "changed from" not in russian and "source:" not in russian
    en_lines, ru_lines = english.splitlines(), russian.splitlines()
    assert len(en_lines) == len(ru_lines)
    for en, ru in zip(en_lines, ru_lines):
        assert en.startswith("- ") == ru.startswith("- ") and en.startswith("#") == ru.startswith("#")
        assert numbers_en(en) == numbers_ru(ru), (en, ru)
    # the comparison is made once; each language's lines are kept, and the language spoken picks them
    assert changes.lines["Values"][0].startswith("Kaluga pharma and biomedicine: employees")
    assert changes.lines_ru["Values"][0].startswith("Калужская фармацевтика: ")
    assert changelog.changes_markdown(changes) == english


def test_an_entry_in_russian_has_its_summary_or_says_there_is_none(changes):
    entry = Entry("2026.2", "2026-12-01", "Corrected Kaluga figures", "0" * 64, "abc1234", "",
                  "Исправлены данные по Калужской области")
    with speaking("ru"):
        with_summary = changelog.entry_markdown(entry, "2026.1", changes)
        first = changelog.entry_markdown(Entry("2026.1", "2026-11-23", "First edition", "0" * 64, "abc1234"), None, None)
    assert with_summary.startswith("## Выпуск 2026.2 (2026-12-01)\n\nИсправлены данные по Калужской области\n\n"
                                   "Изменения в данных по сравнению с выпуском 2026.1:\n\n### Значения\n")
    assert first == "## Выпуск 2026.1 (2026-11-23)\n\nКраткое описание выпуска на русском языке не указано.\n\nПервый выпуск."
    assert changelog.entry_markdown(entry, "2026.1", changes).startswith(
        "## Edition 2026.2 (2026-12-01)\n\nCorrected Kaluga figures\n\nChanges in the data since edition 2026.1:")


def test_no_changes_and_versions_that_do_not_load_are_said_in_russian(tmp_path, data_copy):
    old = tmp_path / "old"
    shutil.copytree(data_copy, old)
    with speaking("ru"):
        assert changelog.changes_markdown(changelog.diff(old, old)) == "Изменений в данных нет."
    # two versions whose data no longer validates: no Russian edition of either, so the Russian line names by id
    _set_changed_value(old, "unreadable")
    _set_changed_value(data_copy, "unreadable too")
    changes = changelog.diff(old, data_copy)
    with speaking("ru"):
        russian = changelog.changes_markdown(changes)
    assert f"- {CHANGED[0]}: {CHANGED[1]}, " in russian and "значение изменено с unreadable " in russian
    assert russian.endswith("Сводная оценка не сравнивалась: одна из двух версий данных не проходит текущую проверку.")
    assert changes.notes == ["The scorecard was not compared: one of the two versions does not pass today's validation."]


def test_the_russian_changelog_file_keeps_its_own_title(tmp_path):
    path = tmp_path / changelog.CHANGELOGS["ru"]
    changelog.prepend(path, "## Выпуск 2026.1 (2026-11-23)\n\nПервый выпуск.", changelog.TITLE_RU)
    changelog.prepend(path, "## Выпуск 2026.2 (2026-12-01)\n\nВторой.", changelog.TITLE_RU)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Журнал изменений данных\n\n")
    assert text.index("## Выпуск 2026.2") < text.index("## Выпуск 2026.1")
