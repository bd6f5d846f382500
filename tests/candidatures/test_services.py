import datetime
import shutil
import subprocess
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidatures.enums import Action, StatutCandidature
from candidatures.models import Candidature, ConfirmationReferent, VersionCandidature
from candidatures.services import (
    CandidatureExistante,
    CandidatureIncomplete,
    acces_accepter,
    acces_demander,
    acces_inviter,
    candidature_accorder_delai,
    candidature_creer,
    candidature_enregistrer,
    candidature_manquants,
    candidature_rouvrir,
    candidature_soumettre,
    candidatures_relancer_brouillons,
    referent_confirmer,
    siren_valide,
)
from cerdd_cycle.comptes.roles import Role, roles_de
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.historique.selectors import historique_de
from tests.factories import (
    CandidatureFactory,
    CycleFactory,
    PieceJointeFactory,
    RegionFactory,
    TerritoireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _complete(**kwargs):
    candidature = CandidatureFactory(**kwargs)
    PieceJointeFactory(candidature=candidature)
    return candidature


# --- creation -------------------------------------------------------------------------------


def test_creer_pour_une_commune_de_la_region_donne_le_role_candidat():
    cycle = CycleFactory()
    user = UserFactory()
    commune = TerritoireFactory(nom="Annœullin", region=cycle.region)

    candidature = candidature_creer(cycle=cycle, user=user, territoire=commune)

    assert candidature.territoire == commune
    assert candidature.eligibilite_a_verifier is False
    assert candidature.contact_email == user.email
    assert Role.CANDIDAT in roles_de(user)
    assert [h.action for h in historique_de(candidature)] == ["creation"]


def test_creer_hors_region_refuse():
    cycle = CycleFactory()
    autre = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    commune = TerritoireFactory(departement__code="69", departement__region=autre)

    with pytest.raises(ValidationError, match="pas dans la région"):
        candidature_creer(cycle=cycle, user=UserFactory(), territoire=commune)
    assert Candidature.objects.count() == 0


def test_creer_structure_hors_liste_a_verifier():
    cycle = CycleFactory()

    candidature = candidature_creer(
        cycle=cycle,
        user=UserFactory(),
        structure_nom="Parc naturel régional Scarpe-Escaut",
        structure_siren="255 900 433",
        structure_nature="Syndicat mixte",
    )

    assert candidature.eligibilite_a_verifier is True
    assert candidature.structure_siren == "255900433"
    assert str(candidature) == "Parc naturel régional Scarpe-Escaut"


def test_creer_structure_siren_officiel_rattache_au_territoire():
    cycle = CycleFactory()
    epci = TerritoireFactory(
        siren="200069052", nom="CA du Saint-Quentinois", type="CA", region=cycle.region
    )

    candidature = candidature_creer(
        cycle=cycle, user=UserFactory(), structure_nom="Agglo", structure_siren="200069052"
    )

    assert candidature.territoire == epci
    assert candidature.eligibilite_a_verifier is False


@pytest.mark.parametrize(
    ("siren", "valide"),
    [
        ("255900433", True),
        ("200069052", True),
        ("255900434", False),
        ("12345", False),
        ("abcdefghi", False),
    ],
)
def test_siren_valide(siren, valide):
    assert siren_valide(siren) is valide


def test_creer_deux_fois_la_meme_collectivite_dit_qui_l_a():
    premiere = CandidatureFactory()

    with pytest.raises(CandidatureExistante) as erreur:
        candidature_creer(cycle=premiere.cycle, user=UserFactory(), territoire=premiere.territoire)

    assert erreur.value.candidature == premiere
    assert Candidature.objects.count() == 1


def test_creer_apres_la_date_limite_refuse():
    cycle = CycleFactory(date_limite=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(ValidationError, match="clos"):
        candidature_creer(
            cycle=cycle, user=UserFactory(), territoire=TerritoireFactory(region=cycle.region)
        )


# --- autosave -------------------------------------------------------------------------------


def test_enregistrer_ne_touche_que_les_champs_envoyes():
    candidature = CandidatureFactory(motivations="A", besoins="B")
    onglet_1 = Candidature.objects.get(pk=candidature.pk)
    onglet_2 = Candidature.objects.get(pk=candidature.pk)

    candidature_enregistrer(onglet_1, candidature.proprietaire, {"motivations": "A modifié"})
    candidature_enregistrer(onglet_2, candidature.proprietaire, {"besoins": "B modifié"})

    candidature.refresh_from_db()
    assert (candidature.motivations, candidature.besoins) == ("A modifié", "B modifié")
    assert candidature.revision == 2


def test_enregistrer_garde_ce_qui_est_tape_meme_invalide():
    candidature = CandidatureFactory()

    candidature_enregistrer(
        candidature,
        candidature.proprietaire,
        {
            "politique_email": "maire@",
            "inconnu": "x",
            "statut": "deposee",
            "engagement_binome": "on",
            "engagements": ["pat", "pirate"],
        },
    )

    candidature.refresh_from_db()
    assert candidature.politique_email == "maire@"
    assert candidature.statut == StatutCandidature.BROUILLON
    assert candidature.engagements == ["pat"]
    assert ("politique", "Référent·e politique : l'adresse « maire@ » n'est pas valide.") in (
        candidature_manquants(candidature)
    )


def test_enregistrer_regroupe_l_historique_par_demi_heure():
    candidature = CandidatureFactory()
    for texte in ["a", "ab", "abc"]:
        candidature_enregistrer(candidature, candidature.proprietaire, {"pistes": texte})
    candidature_enregistrer(candidature, candidature.proprietaire, {"besoins": "x"})

    modifications = [h for h in historique_de(candidature) if h.action == "modification"]
    assert len(modifications) == 1
    assert modifications[0].apres == {"champs": ["besoins", "pistes"]}


def test_enregistrer_apres_la_date_limite_refuse_sans_rien_changer():
    candidature = CandidatureFactory(motivations="avant")
    Candidature.objects.filter(pk=candidature.pk)
    candidature.cycle.date_limite = timezone.now() - datetime.timedelta(seconds=1)
    candidature.cycle.save()

    with pytest.raises(ValidationError, match="date limite"):
        candidature_enregistrer(candidature, candidature.proprietaire, {"motivations": "après"})
    candidature.refresh_from_db()
    assert candidature.motivations == "avant"


# --- submission -----------------------------------------------------------------------------


def test_soumettre_incomplet_liste_tout_ce_qui_manque():
    candidature = CandidatureFactory(
        motivations="", engagements=[], engagement_binome=False, point_contact_different=True
    )

    with pytest.raises(CandidatureIncomplete) as erreur:
        candidature_soumettre(candidature, candidature.proprietaire)

    assert [cle for cle, _m in erreur.value.manquants] == [
        "point_contact",
        "point_contact",
        "motivations",
        "engagements",
        "binome",
        "pieces",
    ]
    assert "Motivations : « motivations » est à remplir." in erreur.value.messages
    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.BROUILLON
    assert VersionCandidature.objects.count() == 0
    assert Courriel.objects.count() == 0


def test_soumettre_garde_une_version_et_envoie_accuse_et_liens_referents():
    candidature = _complete()

    version = candidature_soumettre(candidature, candidature.proprietaire)

    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.DEPOSEE
    assert candidature.depose_le == version.deposee_le
    assert version.numero == 1
    assert version.donnees["motivations"] == candidature.motivations
    assert version.donnees["pieces_jointes"][0]["nom"] == "lettre.pdf"
    accuse = Courriel.objects.get(categorie="accuse_reception")
    assert accuse.destinataires == sorted(
        [candidature.proprietaire.email, candidature.politique_email, candidature.technique_email]
    )
    assert [p.nom for p in accuse.pieces_jointes.all()] == [
        f"recu-candidature-{candidature.pk}-v1.pdf"
    ]
    confirmations = ConfirmationReferent.objects.filter(candidature=candidature)
    assert sorted(confirmations.values_list("role", "email")) == [
        ("politique", candidature.politique_email),
        ("technique", candidature.technique_email),
    ]
    assert Courriel.objects.filter(categorie="confirmation_referent").count() == 2


@pytest.mark.parametrize(
    ("statut", "action", "attendu"),
    [
        (StatutCandidature.BROUILLON, Action.SOUMETTRE, StatutCandidature.DEPOSEE),
        (StatutCandidature.EN_MODIFICATION, Action.SOUMETTRE, StatutCandidature.DEPOSEE),
        (StatutCandidature.DEPOSEE, Action.SOUMETTRE, None),
        (StatutCandidature.BROUILLON, Action.ROUVRIR, None),
        (StatutCandidature.DEPOSEE, Action.ROUVRIR, StatutCandidature.EN_MODIFICATION),
        (StatutCandidature.EN_MODIFICATION, Action.ROUVRIR, None),
    ],
)
def test_transitions(statut, action, attendu):
    candidature = _complete(statut=statut)
    service = candidature_soumettre if action == Action.SOUMETTRE else candidature_rouvrir

    if attendu is None:
        with pytest.raises(ValidationError, match="Impossible"):
            service(candidature, candidature.proprietaire)
        candidature.refresh_from_db()
        assert candidature.statut == statut
    else:
        service(candidature, candidature.proprietaire)
        candidature.refresh_from_db()
        assert candidature.statut == attendu


def test_rouvrir_puis_redeposer_garde_chaque_version():
    candidature = _complete()
    candidature_soumettre(candidature, candidature.proprietaire)
    candidature_rouvrir(candidature, candidature.proprietaire)
    candidature_enregistrer(candidature, candidature.proprietaire, {"besoins": "Nouveaux besoins"})
    candidature_soumettre(candidature, candidature.proprietaire)

    versions = list(candidature.versions.order_by("numero"))
    assert [v.numero for v in versions] == [1, 2]
    assert versions[0].donnees["besoins"] != "Nouveaux besoins"
    assert versions[1].donnees["besoins"] == "Nouveaux besoins"
    assert Courriel.objects.filter(categorie="accuse_reception").count() == 2
    # Referents keep their single link across versions.
    assert Courriel.objects.filter(categorie="confirmation_referent").count() == 2


@pytest.mark.parametrize(
    ("maintenant", "depose"),
    [
        # Deadline 12 March 2021 at 23:59 in Paris = 22:59 UTC.
        (datetime.datetime(2021, 3, 12, 22, 58, 59, tzinfo=datetime.UTC), True),
        (datetime.datetime(2021, 3, 12, 23, 58, 59, tzinfo=PARIS), True),
        (datetime.datetime(2021, 3, 12, 22, 59, tzinfo=datetime.UTC), False),
        (datetime.datetime(2021, 3, 12, 23, 30, tzinfo=datetime.UTC), False),
        (datetime.datetime(2021, 3, 13, 0, 0, 30, tzinfo=PARIS), False),
    ],
)
def test_date_limite_a_minuit_dans_les_deux_fuseaux(maintenant, depose):
    cycle = CycleFactory(
        ouverture_ami=datetime.datetime(2020, 12, 10, 9, tzinfo=PARIS),
        date_limite=datetime.datetime(2021, 3, 12, 23, 59, tzinfo=PARIS),
    )
    candidature = _complete(cycle=cycle)

    if depose:
        candidature_soumettre(candidature, candidature.proprietaire, maintenant=maintenant)
    else:
        with pytest.raises(ValidationError, match="date limite"):
            candidature_soumettre(candidature, candidature.proprietaire, maintenant=maintenant)
    candidature.refresh_from_db()
    assert candidature.deposee is depose


def test_delai_individuel_permet_de_deposer_apres_la_date_limite(equipe):
    candidature = _complete()
    limite = candidature.cycle.date_limite
    apres = limite + datetime.timedelta(hours=2)

    candidature_accorder_delai(
        candidature,
        jusqua=limite + datetime.timedelta(days=1),
        motif="Conseil municipal reporté",
        par=equipe,
    )
    version = candidature_soumettre(candidature, candidature.proprietaire, maintenant=apres)

    assert version.hors_delai_accorde is True
    assert [h.action for h in historique_de(candidature)][:2] == ["depot", "delai"]
    autre = _complete(cycle=candidature.cycle)
    with pytest.raises(ValidationError):
        candidature_soumettre(autre, autre.proprietaire, maintenant=apres)


@pytest.mark.parametrize(
    ("decalage", "motif", "message"),
    [(datetime.timedelta(hours=-1), "x", "dépasser"), (datetime.timedelta(days=1), " ", "motif")],
)
def test_delai_individuel_refuse(equipe, decalage, motif, message):
    candidature = CandidatureFactory()

    with pytest.raises(ValidationError, match=message):
        candidature_accorder_delai(
            candidature, jusqua=candidature.cycle.date_limite + decalage, motif=motif, par=equipe
        )
    candidature.refresh_from_db()
    assert candidature.prolongation_jusqua is None


# --- referents and co-editors ---------------------------------------------------------------


def test_referent_confirme_et_binome_compte():
    candidature = _complete()
    candidature_soumettre(candidature, candidature.proprietaire)
    politique = candidature.confirmations.get(role="politique")

    referent_confirmer(politique, disponible=True, commentaire="Présente à toutes les dates")

    assert candidature.confirmations.filter(confirme_le__isnull=False).count() == 1
    politique.refresh_from_db()
    assert politique.disponible is True


def test_referent_change_d_adresse_recoit_un_nouveau_lien():
    candidature = _complete()
    candidature_soumettre(candidature, candidature.proprietaire)
    ancien = candidature.confirmations.get(role="technique").jeton
    candidature_rouvrir(candidature, candidature.proprietaire)
    candidature_enregistrer(
        candidature, candidature.proprietaire, {"technique_email": "nouvelle@mairie.fr"}
    )

    candidature_soumettre(candidature, candidature.proprietaire)

    nouveau = candidature.confirmations.get(role="technique")
    assert nouveau.jeton != ancien
    assert nouveau.email == "nouvelle@mairie.fr"
    assert Courriel.objects.filter(categorie="confirmation_referent").count() == 3


def test_invitation_coediteur_puis_acceptation():
    candidature = CandidatureFactory()
    invite = UserFactory(email="collegue@mairie.fr")

    acces = acces_inviter(candidature, par=candidature.proprietaire, email="Collegue@Mairie.fr")
    acces_accepter(acces, invite)

    acces.refresh_from_db()
    assert acces.user == invite
    assert Role.CANDIDAT in roles_de(invite)
    assert Courriel.objects.get(categorie="invitation_coediteur").destinataires == [
        "collegue@mairie.fr"
    ]


def test_demande_acces_attend_l_accord():
    candidature = CandidatureFactory()
    demandeur = UserFactory()

    acces = acces_demander(candidature, demandeur=demandeur, message="Je suis la DGS")

    with pytest.raises(ValidationError, match="attend"):
        acces_accepter(acces, demandeur)
    assert Courriel.objects.get(categorie="demande_acces").destinataires == [
        candidature.proprietaire.email
    ]


# --- reminders ------------------------------------------------------------------------------


def test_rappels_a_j7_et_j2_une_seule_fois_chacun():
    maintenant = timezone.now()
    cycle = CycleFactory(date_limite=maintenant + datetime.timedelta(days=6))
    brouillon = CandidatureFactory(cycle=cycle)
    deposee = _complete(cycle=cycle)
    candidature_soumettre(deposee, deposee.proprietaire)
    CandidatureFactory(cycle=CycleFactory())  # deadline in 30 days: nothing yet

    assert candidatures_relancer_brouillons(maintenant) == 1
    assert candidatures_relancer_brouillons(maintenant) == 0
    plus_tard = maintenant + datetime.timedelta(days=4, hours=12)
    assert candidatures_relancer_brouillons(plus_tard) == 1
    assert candidatures_relancer_brouillons(plus_tard) == 0

    rappels = Courriel.objects.filter(categorie="rappel_date_limite").order_by("cle")
    assert [c.cle for c in rappels] == [
        f"rappel-date-limite:j2:candidature={brouillon.pk}",
        f"rappel-date-limite:j7:candidature={brouillon.pk}",
    ]
    assert "Plus que 2 jours" in rappels[0].sujet
    assert "lettre de motivation" in rappels[1].texte


# --- receipt --------------------------------------------------------------------------------


def test_recu_pdf_contient_les_reponses_les_empreintes_et_l_heure(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent")
    from candidatures.pdf import recu_pdf

    candidature = _complete(motivations="Associer les habitant·es <b>vraiment</b>")
    version = candidature_soumettre(candidature, candidature.proprietaire)
    fichier = tmp_path / "recu.pdf"
    fichier.write_bytes(recu_pdf(candidature, version))

    texte = subprocess.run(
        ["pdftotext", str(fichier), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heure = timezone.localtime(version.deposee_le)
    assert "Reçu de dépôt de candidature" in texte
    assert candidature.territoire.nom in texte
    assert "Associer les habitant·es <b>vraiment</b>" in texte
    assert "0" * 64 in texte.replace("\n", "")
    assert f"à {heure:%H} h {heure:%M}" in texte
    assert "Version 1 déposée le" in texte
