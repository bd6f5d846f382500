"""Demo capitalisation report: what staff wrote around the 2021-2022 edition (title,
introduction, conclusion, every chapter), and one generated version, so that the report can be
read as soon as `make run` starts.

The texts are written for the demo. The report is created once: a report staff edited keeps
its texts. The version is generated only for a cycle that has none, synchronously but after the
demo's transaction commits: a demo rolled back (``demo --identifiants``) writes no file.
"""

from django.db import transaction

from cerdd_cycle.documents.html import nettoyer_html
from seances.models import Binome

from . import services
from .enums import SECTIONS_PAR_DEFAUT
from .models import Rapport, Version

TITRE = "Vers des territoires participatifs : ce que treize collectivités ont appris ensemble"

INTRODUCTION = """
<p>De juillet 2021 à mai 2022, le Cerdd a réuni treize collectivités des Hauts-de-France
— communes, intercommunalités et un parc naturel régional — pour une nouvelle édition de son
cycle de qualification « Vers des territoires participatifs ». Chacune y est venue en binôme :
un·e élu·e et un·e technicien·ne, engagé·es à suivre ensemble les six journées et à essayer
sur leur territoire ce qui s'y travaillait.</p>
<p>Le cycle partait d'un constat partagé par les candidates : la transition écologique ne se
décrète pas, elle se construit avec les habitant·es, et cela demande aux collectivités
d'autres manières de décider, d'animer et de travailler entre services. Chaque journée, accueillie
par une collectivité du groupe, a croisé l'apport d'un·e intervenant·e, le débat, les ateliers
entre pairs et l'autodiagnostic.</p>
<p>Ce rapport rassemble ce que la plateforme a gardé de cette année : le déroulé et l'évaluation
de chaque séance, l'assiduité des binômes, ce que les participant·es ont choisi de partager
de leur journal de bord — avec leur nom ou sans —, les expérimentations lancées, les relais
dans les collectivités et l'évolution de l'autodiagnostic entre le début et la fin du cycle.
Rien de ce qui est resté privé n'y figure. Il s'adresse aux collectivités qui ont suivi le
cycle, à celles qui envisagent de le rejoindre et à nos partenaires.</p>
"""

CONCLUSION = """
<p>Trois enseignements ressortent de cette édition. D'abord, le binôme fonctionne : quand
l'élu·e et le ou la technicien·ne suivent les journées ensemble, ils repartent avec un langage
commun et des rôles plus clairs, et les expérimentations avancent plus vite. Ensuite, la
participation se joue autant dans l'organisation interne que face aux habitant·es : plusieurs
collectivités ont commencé par faire coopérer leurs services. Enfin, rendre compte de ce que
deviennent les avis recueillis reste la marche la plus haute, et la plus attendue.</p>
<p>Les expérimentations engagées pendant le cycle se poursuivent : le Cerdd propose aux
binômes un rendez-vous d'échange un an après la dernière séance, et ouvre une nouvelle édition
pour d'autres collectivités de la région. Les collectivités de cette promotion sont invitées à
y témoigner.</p>
"""


def construire(demo) -> None:
    cycle = demo.cycle_2021
    if cycle is None:
        return
    auteur = demo.equipe[0] if demo.equipe else None
    Rapport.objects.get_or_create(
        cycle=cycle,
        defaults={
            "titre": TITRE,
            "introduction": nettoyer_html(INTRODUCTION).strip(),
            "conclusion": nettoyer_html(CONCLUSION).strip(),
            "sections": list(SECTIONS_PAR_DEFAUT),
            "modifie_par": auteur,
        },
    )
    if Version.objects.filter(cycle=cycle).exists():
        return
    if not Binome.objects.filter(cycle=cycle).exists():
        return  # no pairs without the official list: nothing to tell yet
    version = services.version_demander(cycle, auteur, lancer=False)
    transaction.on_commit(lambda: services.version_generer(version.pk))
