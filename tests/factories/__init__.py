import datetime
import zoneinfo

import factory
from django.utils import timezone

from cerdd_cycle.comptes.models import User
from cerdd_cycle.cycles.enums import StatutCycle
from cerdd_cycle.cycles.models import Cycle
from cerdd_cycle.territoires.models import Departement, Region, Territoire, TypeTerritoire
from cerdd_cycle.territoires.normalisation import normaliser
from seances.models import Intervenant, Seance

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MOT_DE_PASSE = "mot-de-passe-de-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(MOT_DE_PASSE)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "32"
    nom = "Hauts-de-France"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "59"
    nom = "Nord"
    region = factory.SubFactory(RegionFactory)


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    code_insee = factory.Sequence(lambda n: f"59{n:03d}")
    type = TypeTerritoire.COMMUNE
    nom = factory.Sequence(lambda n: f"Commune {n}")
    nom_recherche = factory.LazyAttribute(lambda o: normaliser(o.nom))
    departement = factory.SubFactory(DepartementFactory)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    population = 5000


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    titre = factory.Sequence(lambda n: f"Cycle de qualification {2021 + n}")
    slug = factory.Sequence(lambda n: f"cycle-{2021 + n}")
    region = factory.SubFactory(RegionFactory)
    ouverture_ami = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    date_limite = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    date_reponse = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    premiere_seance = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=90)
    )
    places = 13
    statut = StatutCycle.AMI_OUVERT


class SeanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seance

    cycle = factory.SubFactory(CycleFactory)
    numero = factory.Sequence(lambda n: n + 1)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=100))
    theme = factory.Sequence(lambda n: f"Thème {n}")
    lieu = "Loos-en-Gohelle"


class IntervenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervenant

    seance = factory.SubFactory(SeanceFactory)
    nom = factory.Faker("name", locale="fr_FR")


class CandidatureFactory(factory.django.DjangoModelFactory):
    """A complete draft (every required answer filled, no attachment yet)."""

    class Meta:
        model = "candidatures.Candidature"

    cycle = factory.SubFactory(CycleFactory)
    proprietaire = factory.SubFactory(UserFactory)
    territoire = factory.SubFactory(
        TerritoireFactory, region=factory.SelfAttribute("..cycle.region")
    )
    departement = factory.SelfAttribute("territoire.departement")
    contact_nom = "Claire Martin"
    contact_email = factory.SelfAttribute("proprietaire.email")
    politique_nom = "Jean Dupont"
    politique_mandat = "Adjoint à la démocratie locale"
    politique_email = factory.Sequence(lambda n: f"elu{n}@mairie.fr")
    technique_nom = "Lucie Bernard"
    technique_poste = "Chargée de mission participation"
    technique_email = factory.Sequence(lambda n: f"tech{n}@mairie.fr")
    motivations = "Associer les habitant·es aux choix du plan climat."
    actions = "Budget participatif depuis 2019."
    pistes = "Un conseil citoyen de la transition."
    besoins = "Méthodes pour mobiliser les publics éloignés."
    engagements = factory.LazyFunction(lambda: ["plan_climat"])
    engagement_binome = True


class PieceJointeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "candidatures.PieceJointe"

    candidature = factory.SubFactory(CandidatureFactory)
    type = "lettre"
    fichier = factory.django.FileField(filename="lettre.pdf", data=b"%PDF-1.4\n%%EOF\n")
    nom_original = "lettre.pdf"
    type_mime = "application/pdf"
    taille = 15
    sha256 = "0" * 64


# --- jury -----------------------------------------------------------------------------------


class CandidatureDeposeeFactory(CandidatureFactory):
    """A candidature submitted before a deadline that has now passed (the jury's material)."""

    cycle = factory.SubFactory(
        CycleFactory,
        ouverture_ami=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=60)),
        date_limite=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=5)),
        statut=StatutCycle.SELECTION,
    )
    statut = "deposee"
    depose_le = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))


class JureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Jure"
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    user = factory.SubFactory(UserFactory)
    liens_declares_le = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        from cerdd_cycle.comptes.roles import Role, role_attribuer

        if create:
            role_attribuer(self.user, Role.JURE)


class LienFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Lien"

    jure = factory.SubFactory(JureFactory)
    territoire = factory.SubFactory(TerritoireFactory)
    siren = factory.SelfAttribute("territoire.siren")
    nom = factory.SelfAttribute("territoire.nom")


class AffectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Affectation"

    candidature = factory.SubFactory(CandidatureDeposeeFactory)
    jure = factory.SubFactory(JureFactory, cycle=factory.SelfAttribute("..candidature.cycle"))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jury.Decision"

    candidature = factory.SubFactory(CandidatureDeposeeFactory)
    statut = "retenue"
    motif = ""


def noter(affectation, valeurs, *, soumettre=True):
    """Fill an assignment's grid: ``valeurs`` maps a criterion's order to a level or a gate
    answer; unlisted gates get « oui ». Submits unless told otherwise."""
    from jury.models import NoteJury

    for critere in affectation.candidature.cycle.criteres.all():
        valeur = valeurs.get(critere.ordre, "oui" if critere.est_porte else None)
        NoteJury.objects.update_or_create(
            affectation=affectation,
            critere=critere,
            defaults={"porte": valeur or ""} if critere.est_porte else {"valeur": valeur},
        )
    if soumettre:
        affectation.soumise_le = timezone.now()
        affectation.save(update_fields=["soumise_le"])
    return affectation


class BinomeFactory(factory.django.DjangoModelFactory):
    """A retained collectivity's pair, without members (see ``binome_complet``)."""

    class Meta:
        model = "seances.Binome"

    candidature = factory.SubFactory(CandidatureDeposeeFactory)
    cycle = factory.SelfAttribute("candidature.cycle")


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "seances.Membre"

    binome = factory.SubFactory(BinomeFactory)
    user = factory.SubFactory(UserFactory)
    role = "elu"
    suppleant = False


def binome_complet(cycle, *, suppleants=()):
    """A pair with its élu·e and technicien·ne, plus substitutes of the roles given."""
    from cerdd_cycle.comptes.roles import Role, role_attribuer

    binome = BinomeFactory(candidature=CandidatureDeposeeFactory(cycle=cycle))
    membres = [
        MembreFactory(binome=binome, role="elu"),
        MembreFactory(binome=binome, role="technicien"),
    ]
    membres += [MembreFactory(binome=binome, role=role, suppleant=True) for role in suppleants]
    for membre in membres:
        role_attribuer(membre.user, Role.PARTICIPANT)
    return binome


class EntreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "journal.Entree"

    membre = factory.SubFactory(MembreFactory)
    seance = factory.SubFactory(SeanceFactory)


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "journal.Element"

    entree = factory.SubFactory(EntreeFactory)
    rubrique = "points_forts"
    texte = factory.Sequence(lambda n: f"Idée numéro {n}")
    audience = "prive"
