"""The sections of the call's form: one list drives the form, the completeness check, the PDF
and the criteria's evidence, so they can never disagree."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    cle: str
    titre: str
    champs: tuple[str, ...]
    obligatoires: tuple[str, ...] = ()
    aide: str = ""


SECTIONS = (
    Section(
        "contact",
        _("Collectivité et coordonnées"),
        ("adresse", "contact_nom", "contact_fonction", "contact_email", "contact_telephone"),
        ("contact_nom", "contact_email"),
        _("La personne que le Cerdd contacte au sujet de la candidature."),
    ),
    Section(
        "politique",
        _("Référent·e politique"),
        ("politique_nom", "politique_mandat", "politique_email", "politique_telephone"),
        ("politique_nom", "politique_mandat", "politique_email"),
        _("L'élu·e qui suivra le cycle."),
    ),
    Section(
        "technique",
        _("Référent·e technique"),
        ("technique_nom", "technique_poste", "technique_email", "technique_telephone"),
        ("technique_nom", "technique_poste", "technique_email"),
        _("Le·la technicien·ne qui formera le binôme avec l'élu·e."),
    ),
    Section(
        "point_contact",
        _("Point de contact technique (s'il est différent)"),
        (
            "point_contact_different",
            "point_contact_nom",
            "point_contact_fonction",
            "point_contact_email",
            "point_contact_telephone",
        ),
    ),
    Section(
        "motivations",
        _("Motivations"),
        ("motivations",),
        ("motivations",),
        _(
            "Votre parcours, vos objectifs, votre regard sur la participation citoyenne et le "
            "développement durable."
        ),
    ),
    Section(
        "actions",
        _("Actions réalisées ou prévues"),
        ("actions",),
        ("actions",),
        _(
            "Ce que la collectivité a déjà fait ou prévoit en participation citoyenne et en "
            "développement durable."
        ),
    ),
    Section(
        "pistes",
        _("Pistes de travail envisagées"),
        ("pistes",),
        ("pistes",),
        _("Même esquissées : ce que vous aimeriez engager sur votre territoire."),
    ),
    Section(
        "besoins",
        _("Principaux besoins"),
        ("besoins",),
        ("besoins",),
        _("Dans votre organisation et sur le territoire, ce que le cycle pourrait vous apporter."),
    ),
    Section(
        "engagements",
        _("Démarches de transition engagées"),
        ("engagements", "engagements_autre"),
        ("engagements",),
    ),
    Section(
        "binome",
        _("Engagement du binôme"),
        ("engagement_binome",),
        ("engagement_binome",),
        _("L'élu·e et le·la technicien·ne s'engagent à venir ensemble à chaque séance."),
    ),
)

SECTIONS_PAR_CLE = {section.cle: section for section in SECTIONS}
CHAMPS_MODIFIABLES = tuple(champ for section in SECTIONS for champ in section.champs)
CHAMPS_POINT_CONTACT_OBLIGATOIRES = ("point_contact_nom", "point_contact_email")
