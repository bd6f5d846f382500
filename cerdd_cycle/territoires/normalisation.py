"""One normal form for territory names and for what people type to find them.

The same function fills ``Territoire.nom_recherche`` and turns a query into tokens, so
"LOOS-EN-GOHELLE", "loos en gohelle" and "Loos-en-Gohelle" all meet on "loos en gohelle",
and "St-Quentin" meets "Saint-Quentin" on "saint quentin".
"""

import re
import unicodedata

# NFKD does not split these letters: they are not compositions but letters of their own.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})

ABREVIATIONS = {"st": "saint", "ste": "sainte"}

_SEPARATEURS = re.compile(r"[\W_]+")


def normaliser(texte):
    """Lowercase, without accents, ligatures or punctuation, with "st"/"ste" spelled out."""
    texte = unicodedata.normalize("NFKD", (texte or "").translate(LIGATURES))
    texte = "".join(c for c in texte if not unicodedata.combining(c)).lower()
    jetons = _SEPARATEURS.sub(" ", texte).split()
    return " ".join(ABREVIATIONS.get(jeton, jeton) for jeton in jetons)
