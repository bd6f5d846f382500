"""Rich text typed by staff or users is cleaned here before it is shown or printed."""

import html
import re

import nh3
from django.utils.safestring import mark_safe

BALISES = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTS = {"a": {"href", "title"}, "th": {"scope"}}


def nettoyer_html(texte: str) -> str:
    """Keep harmless formatting only; links are limited to http(s) and mailto."""
    return nh3.clean(
        texte or "",
        tags=BALISES,
        attributes=ATTRIBUTS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def html_sur(texte: str):
    return mark_safe(nettoyer_html(texte))  # noqa: S308 - cleaned by nh3 just above


def texte_brut(texte: str) -> str:
    """Rich text as plain text for the text part of an email: one line per paragraph or item."""
    coupe = re.sub(r"(?i)<br\s*/?>|</(p|li|h[2-4]|tr|blockquote)>", "\n", texte or "")
    coupe = re.sub(r"(?i)<li[^>]*>", "- ", coupe)
    brut = html.unescape(nh3.clean(coupe, tags=set()))
    lignes = [" ".join(ligne.split()) for ligne in brut.splitlines()]
    return "\n".join(ligne for ligne in lignes if ligne)


def texte_vers_html(texte: str) -> str:
    """Text typed without any tag becomes paragraphs (blank lines) and line breaks, so that a
    person who does not write HTML gets what they typed; text with tags is kept as typed. The
    result still has to go through ``nettoyer_html``."""
    texte = (texte or "").strip()
    if not texte or re.search(r"<[a-zA-Z/][^>]*>", texte):
        return texte
    paragraphes = re.split(r"\n\s*\n", texte.replace("\r\n", "\n"))
    return "".join(
        "<p>" + "<br>".join(html.escape(ligne) for ligne in p.strip().split("\n")) + "</p>"
        for p in paragraphes
        if p.strip()
    )
