"""Demo data of the kernel: the people of the demo and its two cycles.

The ``demo`` command calls ``construire`` of every app that has a ``demo`` module, in the order
of INSTALLED_APPS (kernel first), passing one ``Demo`` that each layer enriches. Every step
creates what is missing and leaves existing rows alone, so the command can run again and never
overwrites what staff edited.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.utils import timezone

from cerdd_cycle.comptes.models import User
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.territoires.models import Region

from .enums import StatutCycle
from .models import Cycle

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MOT_DE_PASSE_DEMO = "cerdd-demo-2021"
DOMAINE_DEMO = "demo.cerdd-cycle.fr"

EQUIPE = [
    ("Camille", "Delattre", "chargée de mission citoyenneté et développement durable"),
    ("Hugo", "Vandamme", "directeur du centre de ressources"),
]
JURES = [
    ("Nadia", "Benali", "chercheuse en science politique"),
    ("Thomas", "Lemaire", "consultant en concertation"),
    ("Sophie", "Carpentier", "déléguée régionale d'un réseau d'élus"),
    ("Marc", "Dufresne", "chargé de mission au laboratoire d'innovation publique"),
]


TEXTE_AMI = """
<p>Le Cerdd ouvre une nouvelle édition de son cycle de qualification pour les communes et
intercommunalités de la région qui veulent faire de la participation des habitant·es un levier
de leur transition écologique.</p>
<h2>Ce que propose le cycle</h2>
<ul>
<li>six journées de travail d'octobre à juin, environ toutes les six semaines, accueillies
par les collectivités participantes ;</li>
<li>le matin, l'apport d'un·e intervenant·e et un débat ; l'après-midi, des ateliers entre pairs,
de l'autodiagnostic, du codéveloppement ;</li>
<li>un journal de bord pour garder trace de ce que chacun·e retient et expérimente ;</li>
<li>un accompagnement gratuit, entre les séances aussi.</li>
</ul>
<h2>Ce qui est attendu des collectivités</h2>
<p>Un binôme élu·e / technicien·ne présent à chaque journée, l'envie d'essayer sur son territoire
ce qui est travaillé ensemble, et de partager ses réussites comme ses difficultés.</p>
"""


@dataclass
class Demo:
    cycle_2021: Cycle | None = None
    cycle_ouvert: Cycle | None = None
    equipe: list[User] = field(default_factory=list)
    jures: list[User] = field(default_factory=list)
    # (role label, email, what to try) printed by the command.
    identifiants: list[tuple[str, str, str]] = field(default_factory=list)

    def annoncer(self, role, user, quoi):
        self.identifiants.append((role, user.email, quoi))


def compte_demo(identifiant, prenom, nom, *, staff=False, role=None):
    email = f"{identifiant}@{DOMAINE_DEMO}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            MOT_DE_PASSE_DEMO,
            first_name=prenom,
            last_name=nom,
            is_staff=staff,
            is_superuser=staff,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role is not None:
        role_attribuer(user, role)
    return user


def _paris(annee, mois, jour, heure=0, minute=0):
    return datetime.datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


def construire(demo: Demo) -> None:
    region = Region.objects.get(code="32")

    demo.equipe = [
        compte_demo(f"{prenom.lower()}.{nom.lower()}", prenom, nom, staff=True)
        for prenom, nom, _fonction in EQUIPE
    ]
    demo.annoncer("Équipe du Cerdd", demo.equipe[0], "administration, pages de l'équipe")
    demo.jures = [
        compte_demo(f"jure.{nom.lower()}", prenom, nom, role=Role.JURE)
        for prenom, nom, _fonction in JURES
    ]
    demo.annoncer("Juré·e", demo.jures[0], "espace jury")

    demo.cycle_2021, _ = Cycle.objects.get_or_create(
        slug="territoires-participatifs-2021",
        defaults={
            "titre": "Vers des territoires participatifs – édition 2021-2022",
            "region": region,
            "ouverture_ami": _paris(2020, 12, 10, 9),
            "date_limite": _paris(2021, 3, 12, 23, 59),
            "date_reponse": datetime.date(2021, 4, 15),
            "premiere_seance": datetime.date(2021, 7, 8),
            "fin_prevue": datetime.date(2022, 5, 31),
            "places": 13,
            "statut": StatutCycle.TERMINE,
        },
    )

    # The next edition, its call open now, so that every step can be tried in the demo.
    aujourdhui = timezone.localdate()
    debut = datetime.datetime.combine(
        aujourdhui - datetime.timedelta(days=21), datetime.time(9), tzinfo=PARIS
    )
    limite = datetime.datetime.combine(
        aujourdhui + datetime.timedelta(days=45), datetime.time(12), tzinfo=PARIS
    )
    premiere = limite.date() + datetime.timedelta(days=75)
    demo.cycle_ouvert, _ = Cycle.objects.get_or_create(
        slug=f"territoires-participatifs-{premiere.year}",
        defaults={
            "titre": f"Vers des territoires participatifs – édition {premiere.year}",
            "texte_ami": TEXTE_AMI,
            "contact_ami": "Camille Delattre, chargée de mission – camille.delattre@"
            + DOMAINE_DEMO,
            "region": region,
            "ouverture_ami": debut,
            "date_limite": limite,
            "date_reponse": limite.date() + datetime.timedelta(days=34),
            "premiere_seance": premiere,
            "fin_prevue": limite.date() + datetime.timedelta(days=380),
            "places": 14,
            "statut": StatutCycle.AMI_OUVERT,
        },
    )
