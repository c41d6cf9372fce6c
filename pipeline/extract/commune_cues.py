"""When is a commune's name, in a text, not that commune? Rules drawn from the errors seen.

Each rule names a way a word can look like a commune and be something else: a river ("la
Vanne", "au Rhône"), a piece of a longer name ("Marie-Galante", "Alpes d'Azur", "Fourme
d'Ambert"), a word missing its accent ("Tille" is not "Tillé"), a country ("la Suisse").
"""

from __future__ import annotations

from .cues import RIVER_WORDS, before_in_phrase
from .gazetteer import TOKEN_RE, Entry, Gazetteer, everyday_words, fold, name_key
from .matching import Mention, Token, sentence_initial
from .org_kinds import NOT_ORGANISATIONS

NOT_COMMUNES = {"suisse", "france", "belgique", "allemagne", "italie", "espagne", "europe",
                "afrique", "amerique", "asie", "angleterre", "monaco", "andorre"}  # fmt: skip
_ARTICLES = {"le", "la", "les", "l"}
_ARTICLES_BEFORE = _ARTICLES | {"du", "des", "au", "aux"}
_OF = {"de", "d", "du", "des"}
_LINKS = {"sur", "sous", "les", "lez"}  # "Saint-Auban sur Ouvèze": a longer name
# Words before "de X" that make X a place: "Université de Poitiers", "Agglomération de Caen".
INSTITUTIONS = {
    "universite", "ville", "mairie", "commune", "communes", "communaute", "agglomeration",
    "agglo", "metropole", "lycee", "college", "ecole", "chambre", "conseil", "pays", "canton",
    "departement", "region", "prefecture", "cc", "ca", "cu", "syndicat", "office", "marche",
    "centre", "hopital", "gare", "port", "bassin", "territoire", "secteur", "zone", "plateau",
    "habitants", "environs", "agence", "caisse", "maison", "campus", "institut", "iut",
}  # fmt: skip


def accent_changed(surface: str, official: str) -> bool:
    """True when the text writes a word with other accents than the name, capitals aside:
    "Marchés" for "Marches", or no accent where the bare word is everyday French ("Tille" for
    "Tillé"); "Epinal" for "Épinal" and "Orleans" for "Orléans" are fine (people drop
    accents; they do not add wrong ones)."""
    written, named = TOKEN_RE.findall(surface), TOKEN_RE.findall(official)
    if len(written) != len(named):
        return False
    for word, name in zip(written, named, strict=True):
        if word.isupper() and len(word) > 1:
            continue
        w, n = word.lower()[1:], name.lower()[1:]
        if len(w) != len(n) or w == n or fold(w) != fold(n):
            continue
        if w != fold(w) or fold(word) in everyday_words():
            return True
    return False


def part_of_longer_name(tokens: list[Token], m: Mention) -> bool:
    """ "Marie-Galante", "Grand-Figeac", "Saône-Beaujolais", "St Auban sur Ouvèze"."""
    after = tokens[m.last] if m.last < len(tokens) else None
    if after is not None and after.gap == "-":  # the gazetteer's longest match stopped short
        return True
    if m.first > 0 and tokens[m.first].gap == "-" and tokens[m.first - 1].capitalised:
        return True
    if after is not None and after.norm in _LINKS and not after.gap.strip():
        follow = tokens[m.last + 1] if m.last + 1 < len(tokens) else None
        return follow is not None and follow.capitalised and not follow.gap.strip(" -'’")
    return False


def article_before(tokens: list[Token], m: Mention, entries: tuple[Entry, ...]) -> bool:
    """ "la Vanne", "des Vertus", "l'Anjou": communes take no article unless their name has one,
    and then with its capital ("La Bresse" the town, "la Bresse" the country)."""
    first = tokens[m.name_first]
    if first.norm in _ARTICLES and first.text.islower() and m.name_first == m.first:
        return True
    if m.first == 0 or tokens[m.first - 1].norm not in _ARTICLES_BEFORE:
        return False
    return not any(name_key(e.name).split()[0] in _ARTICLES for e in entries)


def named_after(gaz: Gazetteer, tokens: list[Token], m: Mention) -> bool:
    """ "Fourme d'Ambert", "Alpes d'Azur", "PAT de Montesquieu", "Vallée de Kaysersberg":
    a capitalised word, then "de", then the name; or the name, then "de", then a capital."""
    j = m.first - 1
    if j >= 1 and tokens[j].norm in _OF and not tokens[j].gap.strip(" "):
        word = tokens[j - 1]
        if word.capitalised and not sentence_initial(tokens, j - 1):
            longer = " ".join(t.norm for t in tokens[j - 1 : m.last])
            if not institution(tokens, j - 1) or longer in gaz.prefixes or gaz.lookup(longer):
                return True
    k = m.last
    if k + 1 < len(tokens) and tokens[k].norm in _OF and not tokens[k].gap.strip(" "):
        return tokens[k + 1].capitalised and not tokens[k + 1].gap.strip(" '’")
    return False


def institution(tokens: list[Token], i: int) -> bool:
    """ "CCAS de Grenoble", "Caf de Cambrai", "le Carmel de Condom", "Mairie de Lyon": a word
    that names a body, not a place, before "de <town>": an acronym (not of a policy), a word
    of INSTITUTIONS,
    or a noun after an article. Then the town is a place and the body the town's, unless the
    whole is a longer name of the gazetteer ("le Pont de Montvert")."""
    word = tokens[i]
    if word.norm in INSTITUTIONS:
        return True
    if len(word.text) >= 2 and word.text.isupper():  # not "PAT de Montesquieu": a policy
        return word.norm not in NOT_ORGANISATIONS
    if i == 0 or tokens[i - 1].norm not in _ARTICLES:
        return False
    return tokens[i - 1].text.islower() or sentence_initial(tokens, i - 1)


def surface(tokens: list[Token], m: Mention, text: str) -> str:
    return text[tokens[m.name_first].start : m.end]


def continued(tokens: list[Token], m: Mention) -> bool:
    """ "Grand Coude", "Plan Climat": a capitalised word follows on the same line."""
    after = tokens[m.last] if m.last < len(tokens) else None
    return after is not None and after.capitalised and after.gap == " "


def reads_as_other_thing(
    gaz: Gazetteer, text: str, tokens: list[Token], m: Mention, entries: tuple[Entry, ...]
) -> bool:
    """Any of the rules above, for a commune mention not pinned by a postcode or "(47)"."""
    if name_key(surface(tokens, m, text)) in NOT_COMMUNES:
        return True
    if all(accent_changed(surface(tokens, m, text), e.name) for e in entries):
        return True
    if set(before_in_phrase(tokens, m)) & RIVER_WORDS or continued(tokens, m):
        return True
    return (
        part_of_longer_name(tokens, m)
        or article_before(tokens, m, entries)
        or named_after(gaz, tokens, m)
    )
