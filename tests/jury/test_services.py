"""The jury's writes: scoring, decisions, invitations, lists, reminders and results, with the
periodic sweeps run twice."""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidatures.models import Candidature
from cerdd_cycle.comptes.roles import Role, roles_de
from cerdd_cycle.comptes.services import invitation_ouvrir, lien_invitation
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.historique.selectors import historique_de
from jury import selectors, services, tasks
from jury.enums import StatutDecision, VisibiliteNotes
from jury.models import Decision, Jure, NoteJury
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    DecisionFactory,
    JureFactory,
    TerritoireFactory,
    UserFactory,
    noter,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Wednesday 12 March 2031, noon in Paris: the jury's deadline in the sweep tests.
LIMITE = datetime.datetime(2031, 3, 12, 12, 0, tzinfo=PARIS)


def _critere(cycle, ordre):
    return cycle.criteres.get(ordre=ordre)


@pytest.fixture
def affectation(jure):
    return AffectationFactory(jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle))


def _publier(cycle):
    cycle.resultats_publies_le = timezone.now()
    cycle.save(update_fields=["resultats_publies_le"])


# --- scoring ----------------------------------------------------------------------------------


def test_note_enregistrer_echelle_puis_porte_puis_commentaire(affectation, jure):
    cycle = jure.cycle

    services.note_enregistrer(affectation, _critere(cycle, 2), valeur="3", par=jure.user)
    services.note_enregistrer(affectation, _critere(cycle, 1), porte="a_verifier", par=jure.user)
    services.note_enregistrer(
        affectation, _critere(cycle, 2), commentaire="  Motivation claire.  ", par=jure.user
    )

    assert [
        (n.critere.ordre, n.valeur, n.porte, n.commentaire) for n in NoteJury.objects.all()
    ] == [(1, None, "a_verifier", ""), (2, 3, "", "Motivation claire.")]
    affectation.refresh_from_db()
    assert affectation.modifie_le is not None


def test_note_enregistrer_valeur_vide_efface_la_note(affectation, jure):
    critere = _critere(jure.cycle, 3)
    services.note_enregistrer(affectation, critere, valeur=4, par=jure.user)

    services.note_enregistrer(affectation, critere, valeur="", par=jure.user)

    assert list(NoteJury.objects.values_list("valeur", flat=True)) == [None]


@pytest.mark.parametrize(
    ("ordre", "saisie", "message"),
    [
        (2, {"valeur": 5}, r"niveaux de l'échelle \(1, 2, 3, 4\)"),
        (2, {"valeur": 0}, r"niveaux de l'échelle \(1, 2, 3, 4\)"),
        (2, {"valeur": "trois"}, r"niveaux de l'échelle"),
        (2, {"porte": "oui"}, "se note sur l'échelle"),
        (1, {"valeur": 3}, "oui, non ou à vérifier"),
        (1, {"porte": "peut-être"}, "Répondez oui, non ou à vérifier"),
    ],
)
def test_note_enregistrer_saisie_refusee_rien_d_enregistre(
    affectation, jure, ordre, saisie, message
):
    with pytest.raises(ValidationError, match=message):
        services.note_enregistrer(affectation, _critere(jure.cycle, ordre), **saisie, par=jure.user)

    assert NoteJury.objects.count() == 0
    affectation.refresh_from_db()
    assert affectation.modifie_le is None


def test_note_enregistrer_critere_d_un_autre_cycle_refuse(affectation, jure):
    ailleurs = CandidatureDeposeeFactory()
    services.jury_obtenir(ailleurs.cycle)

    with pytest.raises(ValidationError, match="n'appartient pas à la grille"):
        services.note_enregistrer(affectation, _critere(ailleurs.cycle, 2), valeur=3, par=None)

    assert NoteJury.objects.count() == 0


def test_commentaire_enregistrer(affectation, jure):
    services.commentaire_enregistrer(affectation, "  Un projet solide.\n", par=jure.user)

    affectation.refresh_from_db()
    assert affectation.commentaire == "Un projet solide."
    assert affectation.modifie_le is not None


def test_evaluation_soumettre_liste_ce_qui_manque(affectation, jure):
    cycle = jure.cycle
    services.note_enregistrer(affectation, _critere(cycle, 1), porte="oui", par=jure.user)
    services.note_enregistrer(affectation, _critere(cycle, 3), valeur=2, par=jure.user)
    # A gate set back to empty is not answered.
    services.note_enregistrer(affectation, _critere(cycle, 4), porte="", par=jure.user)

    with pytest.raises(ValidationError) as erreur:
        services.evaluation_soumettre(affectation, par=jure.user)

    assert erreur.value.messages == [
        "Il reste à noter : Motivation, détermination et humilité ; "
        "Présence garantie du binôme élu·e / technicien·ne."
    ]
    affectation.refresh_from_db()
    assert affectation.soumise_le is None
    assert historique_de(affectation.candidature).count() == 0


def test_evaluation_soumettre_complete_puis_verrouille(affectation, jure):
    noter(affectation, {2: 3, 3: 4}, soumettre=False)

    services.evaluation_soumettre(affectation, par=jure.user)

    affectation.refresh_from_db()
    assert affectation.soumise_le is not None
    assert [(h.action, h.acteur) for h in historique_de(affectation.candidature)] == [
        ("evaluation_soumise", jure.user)
    ]
    with pytest.raises(ValidationError, match="évaluation est soumise"):
        services.note_enregistrer(affectation, _critere(jure.cycle, 2), valeur=1, par=jure.user)
    with pytest.raises(ValidationError, match="évaluation est soumise"):
        services.commentaire_enregistrer(affectation, "Autre avis", par=jure.user)
    with pytest.raises(ValidationError, match="évaluation est soumise"):
        services.evaluation_soumettre(affectation, par=jure.user)
    assert NoteJury.objects.get(critere__ordre=2).valeur == 3
    affectation.refresh_from_db()
    assert affectation.commentaire == ""


def test_evaluation_rouvrir_rend_la_main(affectation, jure, equipe):
    noter(affectation, {2: 3, 3: 4})

    services.evaluation_rouvrir(affectation, par=equipe)

    affectation.refresh_from_db()
    assert affectation.soumise_le is None
    assert [(h.action, h.acteur) for h in historique_de(affectation.candidature)] == [
        ("evaluation_rouverte", equipe)
    ]
    services.note_enregistrer(affectation, _critere(jure.cycle, 2), valeur=1, par=jure.user)
    assert NoteJury.objects.get(critere__ordre=2).valeur == 1


def test_notes_closes_apres_publication(affectation, jure, equipe):
    noter(affectation, {2: 3, 3: 4})
    _publier(jure.cycle)

    with pytest.raises(ValidationError, match="résultats sont publiés"):
        services.evaluation_rouvrir(affectation, par=equipe)
    affectation.soumise_le = None
    with pytest.raises(ValidationError, match="résultats sont publiés"):
        services.note_enregistrer(affectation, _critere(jure.cycle, 2), valeur=1, par=jure.user)
    assert NoteJury.objects.get(critere__ordre=2).valeur == 3


@pytest.mark.parametrize(
    ("soumise", "visibilite", "deliberation", "visible"),
    [
        (False, VisibiliteNotes.APRES_SOUMISSION, False, False),
        (False, VisibiliteNotes.APRES_SOUMISSION, True, False),
        (False, VisibiliteNotes.DELIBERATION, False, False),
        (False, VisibiliteNotes.DELIBERATION, True, False),
        (True, VisibiliteNotes.APRES_SOUMISSION, False, True),
        (True, VisibiliteNotes.APRES_SOUMISSION, True, True),
        (True, VisibiliteNotes.DELIBERATION, False, False),
        (True, VisibiliteNotes.DELIBERATION, True, True),
    ],
)
def test_notes_croisees_visibles(
    jury, affectation, equipe, soumise, visibilite, deliberation, visible
):
    noter(affectation, {2: 3, 3: 4}, soumettre=soumise)
    jury.visibilite_notes = visibilite
    jury.save(update_fields=["visibilite_notes"])
    if deliberation:
        services.deliberation_ouvrir(jury, par=equipe)

    assert selectors.notes_croisees_visibles(affectation, jury) is visible


def test_autres_evaluations_seulement_celles_soumises(affectation):
    candidature = affectation.candidature
    soumise = noter(AffectationFactory(candidature=candidature), {2: 1, 3: 1})
    noter(AffectationFactory(candidature=candidature), {2: 4, 3: 4}, soumettre=False)
    noter(AffectationFactory(), {2: 2, 3: 2})

    assert list(selectors.autres_evaluations(affectation)) == [soumise]


# --- decisions --------------------------------------------------------------------------------


def test_decision_enregistrer_historique_avant_apres(cycle_jury, equipe):
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury)

    services.decision_enregistrer(candidature, statut="retenue", motif="  ", par=equipe)
    services.decision_enregistrer(
        candidature, statut="attente", motif=" Places prises. ", rang_attente=2, par=equipe
    )
    decision = services.decision_enregistrer(
        candidature, statut="attente", motif="Places prises.", rang_attente=2, par=equipe
    )

    assert (decision.statut, decision.motif, decision.rang_attente, decision.decide_par) == (
        "attente",
        "Places prises.",
        2,
        equipe,
    )
    assert Decision.objects.count() == 1
    assert [
        (h.action, h.acteur, h.avant, h.apres) for h in historique_de(candidature).order_by("pk")
    ] == [
        ("decision", equipe, {}, {"statut": "retenue", "motif": "", "rang_attente": None}),
        (
            "decision",
            equipe,
            {"statut": "retenue", "motif": "", "rang_attente": None},
            {"statut": "attente", "motif": "Places prises.", "rang_attente": 2},
        ),
    ]


def test_decision_enregistrer_rang_seulement_en_attente(cycle_jury, equipe):
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury)

    decision = services.decision_enregistrer(
        candidature, statut="non_retenue", motif="Hors région.", rang_attente=3, par=equipe
    )

    assert decision.rang_attente is None


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ({"statut": "attente", "motif": ""}, "Écrivez le motif"),
        ({"statut": "non_retenue", "motif": "  \n"}, "Écrivez le motif"),
        ({"statut": "peut_etre", "motif": "Bof."}, "retenue, liste d'attente ou non retenue"),
    ],
)
def test_decision_enregistrer_saisie_refusee_rien_d_enregistre(cycle_jury, equipe, saisie, message):
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury)
    DecisionFactory(candidature=candidature, statut="retenue")

    with pytest.raises(ValidationError, match=message):
        services.decision_enregistrer(candidature, **saisie, par=equipe)

    assert list(Decision.objects.values_list("statut", "motif")) == [("retenue", "")]
    assert historique_de(candidature).count() == 0


def test_decision_enregistrer_refuse_un_brouillon(cycle_jury, equipe):
    brouillon = CandidatureFactory(cycle=cycle_jury, statut="brouillon")

    with pytest.raises(ValidationError, match="Seules les candidatures déposées"):
        services.decision_enregistrer(brouillon, statut="retenue", par=equipe)

    assert Decision.objects.count() == 0


def test_decision_enregistrer_refuse_apres_publication(cycle_jury, equipe):
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury)
    DecisionFactory(candidature=candidature, statut="retenue")
    # Loaded before the publication, as a page opened earlier would have it.
    ouverte_avant = Candidature.objects.select_related("cycle").get(pk=candidature.pk)
    _publier(cycle_jury)

    with pytest.raises(ValidationError, match="résultats sont publiés"):
        services.decision_enregistrer(
            ouverte_avant, statut="non_retenue", motif="Changement d'avis.", par=equipe
        )

    assert list(Decision.objects.values_list("statut", flat=True)) == ["retenue"]
    assert historique_de(candidature).count() == 0


# --- invitations ------------------------------------------------------------------------------


def test_jure_inviter_cree_le_compte_et_envoie_le_lien(cycle_jury, equipe):
    jure = services.jure_inviter(
        cycle_jury, email=" Anne.Leroy@Exemple.fr ", prenom="Anne", nom="Leroy", par=equipe
    )

    user = jure.user
    assert (user.email, user.first_name, user.last_name) == (
        "anne.leroy@exemple.fr",
        "Anne",
        "Leroy",
    )
    assert user.has_usable_password() is False
    assert roles_de(user) == {Role.JURE}
    assert (jure.cycle, jure.actif, jure.invite_par) == (cycle_jury, True, equipe)
    courriel = Courriel.objects.get()
    assert courriel.destinataires == ["anne.leroy@exemple.fr"]
    assert courriel.sujet == f"Invitation au jury : {cycle_jury.titre}"
    assert courriel.texte.startswith("Bonjour Anne,")
    debut = lien_invitation(user).split("/invitation/")[0] + "/invitation/"
    jeton = re.search(re.escape(debut) + r"(\S+)/", courriel.texte).group(1)
    assert invitation_ouvrir(jeton) == user
    assert "choisissez votre mot de passe" in courriel.texte
    assert [h.action for h in historique_de(cycle_jury)] == ["jure_invite"]


def test_jure_inviter_deux_fois_un_jure_un_courriel(cycle_jury, equipe):
    services.jure_inviter(cycle_jury, email="anne@exemple.fr", par=equipe)
    services.jure_inviter(cycle_jury, email="ANNE@exemple.fr", par=equipe)

    assert Jure.objects.count() == 1
    assert Courriel.objects.count() == 1


def test_jure_inviter_compte_existant_garde_son_mot_de_passe(cycle_jury, equipe):
    personne = UserFactory(email="deja@exemple.fr")

    jure = services.jure_inviter(cycle_jury, email="deja@exemple.fr", par=equipe)

    assert jure.user == personne
    personne.refresh_from_db()
    assert personne.has_usable_password() is True
    assert "Vous avez déjà un compte" in Courriel.objects.get().texte


def test_jure_inviter_rend_actif_un_jure_retire(cycle_jury, equipe):
    jure = JureFactory(cycle=cycle_jury, actif=False)

    assert services.jure_inviter(cycle_jury, email=jure.user.email, par=equipe) == jure

    jure.refresh_from_db()
    assert jure.actif is True


# --- lists and reminders ----------------------------------------------------------------------


@pytest.fixture
def deux_jures(jury):
    """Anne has Aubers and Béthune, Paul has Fromelles; a third juror has nothing."""
    cycle = jury.cycle
    jury.date_limite = LIMITE
    jury.save(update_fields=["date_limite"])
    anne = JureFactory(cycle=cycle, user__first_name="Anne", user__email="anne@exemple.fr")
    paul = JureFactory(cycle=cycle, user__first_name="Paul", user__email="paul@exemple.fr")
    JureFactory(cycle=cycle)
    candidatures = {
        nom: CandidatureDeposeeFactory(cycle=cycle, territoire=TerritoireFactory(nom=nom))
        for nom in ("Aubers", "Béthune", "Fromelles", "Wavrin")
    }
    AffectationFactory(jure=anne, candidature=candidatures["Béthune"])
    AffectationFactory(jure=anne, candidature=candidatures["Aubers"])
    AffectationFactory(jure=paul, candidature=candidatures["Fromelles"])
    return anne, paul, candidatures


def test_jures_prevenir_une_liste_par_jure(jury, deux_jures, equipe):
    _anne, _paul, _candidatures = deux_jures

    assert services.jures_prevenir(jury, par=equipe) == 2

    courriels = {c.destinataires[0]: c for c in Courriel.objects.all()}
    assert set(courriels) == {"anne@exemple.fr", "paul@exemple.fr"}
    assert courriels["anne@exemple.fr"].sujet == "Jury : 2 candidatures à noter"
    assert courriels["paul@exemple.fr"].sujet == "Jury : 1 candidature à noter"
    texte = courriels["anne@exemple.fr"].texte
    assert texte.startswith("Bonjour Anne,")
    assert "- Aubers\n- Béthune\n" in texte
    assert "Fromelles" not in texte
    assert "avant le mercredi 12 mars 2031 à 12\u00a0h\u00a000" in texte
    assert "- Fromelles\n" in courriels["paul@exemple.fr"].texte


def test_jures_prevenir_deux_fois_puis_apres_un_changement(jury, deux_jures, equipe):
    _anne, paul, candidatures = deux_jures
    services.jures_prevenir(jury, par=equipe)

    assert services.jures_prevenir(jury, par=equipe) == 0
    assert Courriel.objects.count() == 2

    AffectationFactory(jure=paul, candidature=candidatures["Wavrin"])

    assert services.jures_prevenir(jury, par=equipe) == 1
    nouveau = Courriel.objects.order_by("pk").last()
    assert nouveau.destinataires == ["paul@exemple.fr"]
    assert "- Fromelles\n- Wavrin\n" in nouveau.texte
    assert [h.description for h in historique_de(jury.cycle).filter(action="jures_prevenus")] == [
        "Listes envoyées à 1 juré·e(s)",
        "Listes envoyées à 0 juré·e(s)",
        "Listes envoyées à 2 juré·e(s)",
    ]


def test_jures_prevenir_sans_date_limite_ni_jure_inactif(jury, deux_jures, equipe):
    _anne, paul, _candidatures = deux_jures
    jury.date_limite = None
    jury.save(update_fields=["date_limite"])
    paul.actif = False
    paul.save(update_fields=["actif"])

    assert services.jures_prevenir(jury, par=equipe) == 1

    courriel = Courriel.objects.get()
    assert courriel.destinataires == ["anne@exemple.fr"]
    assert "Merci de soumettre" not in courriel.texte


def _rappels():
    return sorted((c.destinataires[0], c.cle.rsplit(":", 1)[-1]) for c in Courriel.objects.all())


def test_jures_relancer_a_j_moins_3_et_j_moins_1(deux_jures):
    anne, paul, _candidatures = deux_jures
    # Paul has submitted everything; Anne one of her two.
    noter(paul.affectations.get(), {2: 3, 3: 3})
    noter(anne.affectations.first(), {2: 3, 3: 3})

    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=4)) == 0
    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=3)) == 1
    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=3)) == 0
    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=2)) == 0
    assert _rappels() == [("anne@exemple.fr", "j-3")]
    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(hours=20)) == 1
    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(hours=2)) == 0
    assert services.jures_relancer(maintenant=LIMITE + datetime.timedelta(hours=1)) == 0
    assert _rappels() == [("anne@exemple.fr", "j-1"), ("anne@exemple.fr", "j-3")]

    rappel = Courriel.objects.get(cle__endswith="j-1")
    assert rappel.sujet == "Jury : encore 1 évaluation à soumettre"
    assert rappel.texte.startswith("Bonjour Anne,")
    assert "avant le mercredi 12 mars 2031 à 12\u00a0h\u00a000" in rappel.texte
    assert "Il vous reste 1 évaluation(s) à soumettre sur 2." in rappel.texte


def test_jures_relancer_tout_soumis_rien(deux_jures):
    anne, paul, _candidatures = deux_jures
    for affectation in [*anne.affectations.all(), *paul.affectations.all()]:
        noter(affectation, {2: 2, 3: 2})

    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=2)) == 0
    assert Courriel.objects.count() == 0


def test_jures_relancer_ni_jure_inactif_ni_jury_sans_date(deux_jures, autre_cycle):
    anne, _paul, _candidatures = deux_jures
    anne.actif = False
    anne.save(update_fields=["actif"])
    sans_date = services.jury_obtenir(autre_cycle)
    AffectationFactory(
        jure=JureFactory(cycle=autre_cycle),
        candidature=CandidatureDeposeeFactory(cycle=autre_cycle),
    )

    assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(hours=5)) == 1

    assert _rappels() == [("paul@exemple.fr", "j-1")]
    assert sans_date.date_limite is None


def test_jures_relancer_requetes_fixes(deux_jures, django_assert_num_queries):
    anne, _paul, candidatures = deux_jures
    services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=2))
    AffectationFactory(jure=JureFactory(cycle=anne.cycle), candidature=candidatures["Wavrin"])

    # Juries, keys already used, jurors with their counts (3 queries), then the new juror's
    # email only (lookup, insert and 6 savepoints): nothing for the jurors already reminded.
    with django_assert_num_queries(11):
        assert services.jures_relancer(maintenant=LIMITE - datetime.timedelta(days=2)) == 1


# --- results ----------------------------------------------------------------------------------


@pytest.fixture
def decisions(jury):
    cycle = jury.cycle
    retenue = DecisionFactory(
        candidature=CandidatureDeposeeFactory(
            cycle=cycle, territoire=TerritoireFactory(nom="Aubers")
        ),
        statut=StatutDecision.RETENUE,
    )
    refusee = DecisionFactory(
        candidature=CandidatureDeposeeFactory(
            cycle=cycle, territoire=TerritoireFactory(nom="Wavrin")
        ),
        statut=StatutDecision.NON_RETENUE,
        motif="Le binôme ne pourra pas suivre toutes les séances.",
    )
    return retenue, refusee


def test_resultats_programmer_a_la_date_de_reponse(jury, decisions, equipe):
    services.resultats_programmer(jury, par=equipe)

    jury.refresh_from_db()
    assert jury.envoi_prevu_le == datetime.datetime.combine(
        jury.cycle.date_reponse, datetime.time(9), tzinfo=PARIS
    )
    assert [h.action for h in historique_de(jury.cycle)] == ["resultats_programmes"]


def test_resultats_programmer_refuse_une_candidature_sans_decision(jury, decisions, equipe):
    CandidatureDeposeeFactory(cycle=jury.cycle)

    with pytest.raises(ValidationError, match="1 candidature\\(s\\) déposée\\(s\\) sans décision"):
        services.resultats_programmer(jury, par=equipe)

    jury.refresh_from_db()
    assert jury.envoi_prevu_le is None


def test_resultats_envoyer_a_l_heure_et_une_seule_fois(jury, decisions, equipe):
    retenue, refusee = decisions
    quand = datetime.datetime(2031, 6, 2, 9, 0, tzinfo=PARIS)
    services.resultats_programmer(jury, par=equipe, quand=quand)

    assert services.resultats_envoyer(maintenant=quand - datetime.timedelta(minutes=1)) == 0
    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is None
    assert Courriel.objects.count() == 0

    assert services.resultats_envoyer(maintenant=quand) == 2
    assert services.resultats_envoyer(maintenant=quand + datetime.timedelta(hours=1)) == 0

    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is not None
    courriels = {c.cle: c for c in Courriel.objects.all()}
    assert set(courriels) == {
        f"decision:candidature={retenue.candidature_id}",
        f"decision:candidature={refusee.candidature_id}",
    }
    oui = courriels[f"decision:candidature={retenue.candidature_id}"]
    non = courriels[f"decision:candidature={refusee.candidature_id}"]
    assert oui.destinataires == sorted(set(services.destinataires_decision(retenue.candidature)))
    assert oui.sujet == f"{jury.cycle.titre} : votre candidature est retenue"
    assert "la candidature de Aubers est retenue" in oui.texte
    assert non.sujet == f"{jury.cycle.titre} : réponse à votre candidature"
    assert "Le binôme ne pourra pas suivre toutes les séances." in non.texte
    assert "Aubers" not in non.texte
    assert [p.type_mime for p in non.pieces_jointes.all()] == ["application/pdf"]
    assert bytes(non.pieces_jointes.get().contenu).startswith(b"%PDF")


def test_resultats_envoyer_rien_sans_programmation(jury, decisions):
    assert services.resultats_envoyer(maintenant=timezone.now() + datetime.timedelta(days=400)) == 0

    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is None
    assert Courriel.objects.count() == 0


def test_resultats_envoyer_decision_retiree_apres_programmation(jury, decisions, equipe):
    quand = timezone.now() - datetime.timedelta(minutes=5)
    services.resultats_programmer(jury, par=equipe, quand=quand)
    decisions[1].delete()

    assert services.resultats_envoyer(maintenant=timezone.now()) == 0

    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is None
    assert Courriel.objects.count() == 0


# --- periodic tasks ---------------------------------------------------------------------------


def test_taches_periodiques_au_calendrier():
    calendrier = settings.CELERY_BEAT_SCHEDULE

    assert calendrier["jury-rappels"]["task"] == tasks.jures_relancer_task.name
    assert calendrier["jury-resultats"]["task"] == tasks.resultats_envoyer_task.name
    assert tasks.jures_relancer_task.name == "jury.tasks.jures_relancer_task"
    assert tasks.resultats_envoyer_task.name == "jury.tasks.resultats_envoyer_task"


def test_tache_rappels_appelle_le_balayage(deux_jures, jury):
    jury.date_limite = timezone.now() + datetime.timedelta(days=2)
    jury.save(update_fields=["date_limite"])

    assert tasks.jures_relancer_task.delay().get() == 2
    assert tasks.jures_relancer_task.delay().get() == 0

    assert _rappels() == [("anne@exemple.fr", "j-3"), ("paul@exemple.fr", "j-3")]


def test_tache_resultats_appelle_le_balayage(jury, decisions, equipe):
    services.resultats_programmer(
        jury, par=equipe, quand=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert tasks.resultats_envoyer_task.delay().get() == 2
    assert tasks.resultats_envoyer_task.delay().get() == 0

    assert Courriel.objects.filter(categorie="decision").count() == 2


def test_jures_prevenir_requetes_fixes(jury, deux_jures, equipe, django_assert_num_queries):
    services.jures_prevenir(jury, par=equipe)

    # Assignments, keys already used, jurors and the history entry (with its savepoint):
    # nothing per juror whose list has not changed.
    with django_assert_num_queries(6):
        assert services.jures_prevenir(jury, par=equipe) == 0
