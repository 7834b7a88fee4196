"""The French thesaurus: the headword closest to the word typed gives its synonyms first."""

import pytest

from apprenance.core import thesaurus

THESAURUS = """UTF-8
conservateur|1
(nom)|archiviste|gardien
conserver|1
(verbe)|garder|maintenir|stocker
blessure|1
(nom)|plaie|lésion
blessant|1
(adj.)|vexant|offensant
"""


@pytest.fixture
def small_thesaurus(settings, tmp_path):
    path = tmp_path / "thes_fr.dat"
    path.write_text(THESAURUS, encoding="utf-8")
    settings.THESAURUS_PATH = str(path)
    settings.VAR_DIR = tmp_path
    thesaurus.synonyms_by_stem.cache_clear()
    yield
    thesaurus.synonyms_by_stem.cache_clear()


@pytest.mark.usefixtures("small_thesaurus")
def test_the_headword_typed_gives_its_synonyms_before_others_of_the_same_stem():
    assert thesaurus.synonyms("conserver")[:3] == ("garder", "maintenir", "stocker")
    assert thesaurus.synonyms("conservateur")[:2] == ("archiviste", "gardien")


@pytest.mark.usefixtures("small_thesaurus")
def test_an_inflected_word_finds_its_headword_first():
    assert thesaurus.synonyms("blessures")[:2] == ("plaie", "lesion")


@pytest.mark.usefixtures("small_thesaurus")
def test_the_cache_read_back_gives_the_same_synonyms():
    first = thesaurus.synonyms("conserver")
    thesaurus.synonyms_by_stem.cache_clear()
    assert thesaurus.synonyms("conserver") == first
