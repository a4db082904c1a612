"""Words too common to say what a note is about, by event language.

Checked against base forms (Voikko) and against the lower-cased word (the Snowball path), so
both the dictionary form and the common inflected and spoken forms are listed for Finnish.
"""

from __future__ import annotations

import functools

_FINNISH = """
ei en et emme ette eivät olla on ole olen olet olemme olette ovat oli olivat ollut olleet
olisi olis olisivat ollaan oltu olla ja tai sekä mutta vaan että jotta koska kun jos vaikka
kuin niin myös vielä jo vain vaan aina koskaan nyt sitten siis eli esim esimerkiksi
se sen sitä siitä siihen sillä ne niiden niitä niistä niihin noin tämä tämän tätä tästä tähän
nämä näiden näitä tuo tuon ne he hän hänen heidän me meidän meillä meille te teidän minä
mä sinä sä mun sun joka jotka jonka joita mikä mitä mistä mihin missä miksi miten kuka kenelle
ketään kukaan mikään mitään mitä itse oma omaan kaikki kaikille kaiken jokin joku jotain
pitää pitäisi pitäis pitäs täytyy voida voisi voisivat voi saada saa saisi tulla tulee
tulisi tehdä tehdään mennä menee olla ehkä aivan ihan tosi todella liian liikaa paljon
vähän lisää enemmän hyvin hyvä ok kanssa kautta välillä ilman ennen jälkeen aikana
myötä mukaan meillä siellä täällä täytyisi kyllä no joo niinku niinkuin vs
"""

#: Finnish stop words: pronouns, particles, auxiliaries and the hedges notes are full of
#: ("liian", "pitäisi"): without them a group of complaints is labelled "liian · pitää".
FINNISH: frozenset[str] = frozenset(_FINNISH.split())

@functools.cache
def _english() -> frozenset[str]:
    """English stop words: scikit-learn's list plus the modal verbs notes lean on. Read
    when first asked: importing scikit-learn takes over a second, which every command and
    every server start would otherwise pay before doing anything."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"need", "needs", "really", "lot"}


def stop_words(lang: str) -> frozenset[str]:
    """The stop words for an event language ("fi", "en"); other languages get none."""
    if lang == "en":
        return _english()
    return FINNISH if lang == "fi" else frozenset()
