"""Demo candidatures: the thirteen collectivities of 2021 (deposited) and, for the open call,
one candidature in every state. Texts are written for the demo."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from cerdd_cycle.comptes.roles import Role
from cerdd_cycle.cycles.demo import PARIS, compte_demo
from cerdd_cycle.territoires.models import Departement, Territoire
from cerdd_cycle.territoires.normalisation import normaliser

from .enums import RoleReferent, StatutCandidature, TypePiece
from .grille import grille_par_defaut
from .models import (
    Candidature,
    ConfirmationReferent,
    PieceJointe,
    VersionCandidature,
)
from .services import instantane

# (name searched in the official list, or None for a structure outside the list)
RETENUES_2021 = [
    "Annœullin",
    "Baisieux",
    "CU de Dunkerque",
    "CA du Saint-Quentinois",
    "CC du Pays de Lumbres",
    "Lambres-lez-Douai",
    "Loos-en-Gohelle",
    "Margny-lès-Compiègne",
    None,
    "Ronchin",
    "Sailly-lez-Lannoy",
    "Templeuve-en-Pévèle",
    "Vimy",
]
PNR = {
    "structure_nom": "Parc naturel régional Scarpe-Escaut",
    "structure_siren": "255900433",
    "structure_nature": "Syndicat mixte (parc naturel régional)",
    "departement": "59",
}
AUTRES_2021 = ["Wattrelos", "Liévin", "CC Pévèle-Carembault"]

PRENOMS = [
    "Claire",
    "Julien",
    "Sabrina",
    "Olivier",
    "Nathalie",
    "Karim",
    "Élodie",
    "Franck",
    "Aurélie",
    "Mehdi",
    "Sandrine",
    "Benoît",
    "Laetitia",
    "Yannick",
    "Céline",
    "Rachid",
]
NOMS = [
    "Leroy",
    "Desmet",
    "Vasseur",
    "Boulanger",
    "Caron",
    "Deldalle",
    "Hennebelle",
    "Lefebvre",
    "Mahieu",
    "Dufour",
    "Vanhoutte",
    "Kaci",
    "Degrave",
    "Lemaire",
    "Wallet",
    "Poulain",
]
MANDATS = [
    "Adjointe à la démocratie participative",
    "Maire",
    "Vice-président à la transition",
    "Conseillère déléguée à la citoyenneté",
    "Adjoint au développement durable",
]
POSTES = [
    "Chargée de mission participation citoyenne",
    "Directeur général des services",
    "Chargé de mission plan climat",
    "Responsable de la vie associative",
    "Cheffe de projet transition écologique",
]
MOTIVATIONS = [
    "Depuis l'adoption de notre plan climat, nous voyons que les actions qui tiennent sont celles "
    "que les habitant·es ont contribué à construire. Nous voulons passer de la consultation "
    "ponctuelle à une véritable culture de la coopération, élu·es et services compris.",
    "Notre équipe municipale s'est engagée à associer les habitant·es aux décisions. Après deux "
    "années d'essais (réunions de quartier, budget participatif), nous avons besoin de prendre "
    "du recul et d'apprendre d'autres collectivités.",
    "L'intercommunalité porte des politiques de transition qui restent lointaines pour beaucoup "
    "d'habitant·es. Nous cherchons des méthodes pour les impliquer dès la conception des projets, "
    "et un groupe de pairs avec qui partager nos doutes.",
]
ACTIONS = [
    "Budget participatif annuel (3e édition), ateliers de quartier sur les mobilités, jardin "
    "partagé co-géré avec une association.",
    "Conseil citoyen de la transition installé en 2020, balades urbaines sur l'adaptation au "
    "changement climatique, consultation en ligne sur le plan vélo.",
    "Projet alimentaire territorial co-construit avec les producteurs, forum annuel des "
    "associations, premiers ateliers de cartographie participative.",
]
PISTES = [
    "Ouvrir la préparation du budget à un panel d'habitant·es tiré·es au sort ; former les agents "
    "à l'animation de réunions.",
    "Créer un lieu ressource pour les initiatives citoyennes et revoir notre charte de la "
    "participation avec les habitant·es.",
    "Associer les jeunes à la révision du plan climat ; tester une convention citoyenne locale.",
]
BESOINS = [
    "Des méthodes pour aller vers les publics qui ne viennent jamais aux réunions ; "
    "un argumentaire pour convaincre nos collègues élu·es.",
    "Clarifier le rôle de chacun·e (élu·es, services, habitant·es) et savoir dire ce qui est "
    "négociable ou non.",
    "Outils d'évaluation de nos démarches ; échanges avec des collectivités plus avancées.",
]
ENGAGEMENTS = [["plan_climat", "pat"], ["agenda_2030"], ["plan_climat", "tepos"], ["cte"]]


def _territoire(nom):
    return Territoire.objects.filter(region_id="32", nom_recherche=normaliser(nom)).first()


def _reponses(rang, collectivite):
    prenom_p, nom_p = PRENOMS[rang % 16], NOMS[rang % 16]
    prenom_t, nom_t = PRENOMS[(rang + 5) % 16], NOMS[(rang + 9) % 16]
    domaine = normaliser(collectivite).replace(" ", "-")[:30] + ".demo.fr"
    return {
        "adresse": f"Hôtel de ville\n{collectivite}",
        "contact_nom": f"{prenom_t} {nom_t}",
        "contact_fonction": POSTES[rang % 5],
        "contact_telephone": f"03 20 {10 + rang:02d} 45 {60 + rang:02d}",
        "politique_nom": f"{prenom_p} {nom_p}",
        "politique_mandat": MANDATS[rang % 5],
        "politique_email": f"{normaliser(prenom_p)}.{normaliser(nom_p)}@{domaine}",
        "politique_telephone": f"06 11 {20 + rang:02d} 33 {40 + rang:02d}",
        "technique_nom": f"{prenom_t} {nom_t}",
        "technique_poste": POSTES[rang % 5],
        "technique_email": f"{normaliser(prenom_t)}.{normaliser(nom_t)}@{domaine}",
        "technique_telephone": f"03 21 {30 + rang:02d} 12 {50 + rang:02d}",
        "motivations": MOTIVATIONS[rang % 3],
        "actions": ACTIONS[rang % 3],
        "pistes": PISTES[rang % 3],
        "besoins": BESOINS[rang % 3],
        "engagements": ENGAGEMENTS[rang % 4],
        "engagement_binome": True,
    }


def _lettre(candidature, user):
    contenu = _pdf_minimal(f"Lettre de motivation - {candidature.nom_collectivite}")
    piece = PieceJointe(
        candidature=candidature,
        type=TypePiece.LETTRE,
        nom_original="lettre-de-motivation.pdf",
        type_mime="application/pdf",
        taille=len(contenu),
        sha256=hashlib.sha256(contenu).hexdigest(),
        ajoutee_par=user,
    )
    piece.fichier.save("lettre.pdf", ContentFile(contenu), save=False)
    piece.save()


def _pdf_minimal(titre):
    texte = titre.encode("latin-1", "replace")
    flux = b"BT /F1 14 Tf 72 760 Td (" + texte + b") Tj ET"
    objets = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(flux)).encode() + b" >>\nstream\n" + flux + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    sortie, positions = b"%PDF-1.4\n", []
    for numero, objet in enumerate(objets, 1):
        positions.append(len(sortie))
        sortie += f"{numero} 0 obj\n".encode() + objet + b"\nendobj\n"
    debut_xref = len(sortie)
    sortie += f"xref\n0 {len(objets) + 1}\n0000000000 65535 f \n".encode()
    sortie += b"".join(f"{p:010d} 00000 n \n".encode() for p in positions)
    taille = len(objets) + 1
    sortie += f"trailer\n<< /Size {taille} /Root 1 0 R >>\n".encode()
    sortie += f"startxref\n{debut_xref}\n%%EOF\n".encode()
    return sortie


def _candidature(cycle, rang, *, nom=None, hors_liste=None, statut, depose_le=None):
    territoire = _territoire(nom) if nom else None
    departement = (
        Departement.objects.filter(code=hors_liste["departement"]).first() if hors_liste else None
    )
    if territoire is None and departement is None:
        return None  # the official list is not loaded
    cle = normaliser(nom or hors_liste["structure_nom"]).replace(" ", ".")[:40]
    user = compte_demo(
        f"candidat.{cle}", PRENOMS[(rang + 5) % 16], NOMS[(rang + 9) % 16], role=Role.CANDIDAT
    )
    existante = (
        Candidature.objects.filter(cycle=cycle)
        .filter(
            Q(territoire=territoire)
            if territoire
            else Q(structure_siren=hors_liste["structure_siren"])
        )
        .first()
    )
    if existante is not None:
        return existante
    extra = {}
    if hors_liste:
        extra = {**hors_liste, "eligibilite_a_verifier": True, "departement": departement}
    candidature = Candidature.objects.create(
        cycle=cycle,
        proprietaire=user,
        territoire=territoire,
        departement=territoire.departement if territoire else extra.pop("departement"),
        contact_email=user.email,
        statut=statut,
        depose_le=depose_le,
        modifie_le=depose_le or timezone.now(),
        **extra,
        **_reponses(rang, nom or hors_liste["structure_nom"]),
    )
    _lettre(candidature, user)
    if depose_le:
        ConfirmationReferent.objects.bulk_create(
            ConfirmationReferent(
                candidature=candidature,
                role=role,
                nom=nom,
                email=email,
                disponible=True,
                confirme_le=depose_le + datetime.timedelta(days=2),
            )
            for role, nom, email in [
                (RoleReferent.POLITIQUE, candidature.politique_nom, candidature.politique_email),
                (RoleReferent.TECHNIQUE, candidature.technique_nom, candidature.technique_email),
            ]
        )
        VersionCandidature.objects.create(
            candidature=candidature,
            numero=1,
            donnees=instantane(candidature),
            deposee_le=depose_le,
            deposee_par=user,
        )
    return candidature


def construire(demo) -> None:
    grille_par_defaut(demo.cycle_2021)
    grille_par_defaut(demo.cycle_ouvert)
    debut = datetime.datetime(2021, 2, 20, 10, tzinfo=PARIS)
    for rang, nom in enumerate(RETENUES_2021 + AUTRES_2021):
        _candidature(
            demo.cycle_2021,
            rang,
            nom=nom,
            hors_liste=None if nom else PNR,
            statut=StatutCandidature.DEPOSEE,
            depose_le=debut + datetime.timedelta(days=rang, hours=rang % 7),
        )

    cycle = demo.cycle_ouvert
    maintenant = timezone.now()
    etats = [
        ("Arras", StatutCandidature.DEPOSEE, maintenant - datetime.timedelta(days=3)),
        ("Béthune", StatutCandidature.EN_MODIFICATION, maintenant - datetime.timedelta(days=6)),
        ("Amiens", StatutCandidature.BROUILLON, None),
        ("Wattrelos", StatutCandidature.BROUILLON, None),
    ]
    for rang, (nom, statut, depose_le) in enumerate(etats, start=20):
        candidature = _candidature(cycle, rang, nom=nom, statut=statut, depose_le=depose_le)
        if candidature and nom == "Wattrelos" and candidature.motivations:
            # A draft only just started: most answers still to write.
            Candidature.objects.filter(pk=candidature.pk).update(
                motivations="", actions="", pistes="", besoins="", engagement_binome=False
            )
    _candidature(
        cycle,
        30,
        hors_liste={
            **PNR,
            "structure_nom": "Syndicat mixte du Montreuillois",
            "structure_siren": "256200361",
            "departement": "62",
        },
        statut=StatutCandidature.BROUILLON,
    )

    premiere = Candidature.objects.filter(cycle=cycle, statut=StatutCandidature.DEPOSEE).first()
    if premiere is not None:
        demo.annoncer("Candidat·e", premiere.proprietaire, "une candidature déposée")
    brouillon = Candidature.objects.filter(
        cycle=cycle, statut=StatutCandidature.BROUILLON, territoire__isnull=False
    ).first()
    if brouillon is not None:
        demo.annoncer("Candidat·e", brouillon.proprietaire, "un brouillon à compléter")
