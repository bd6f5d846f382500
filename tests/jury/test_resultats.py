"""Results: editable templates and their preview, scheduled or immediate sending through the
periodic sweep, decision letters, and the candidate's result (never a score or a comment)."""

import datetime
import shutil
import subprocess
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cerdd_cycle.courriels.models import Courriel, EtatCourriel, PieceJointe
from cerdd_cycle.historique.models import Historique
from jury import selectors, services
from jury.models import Decision, ModeleDecision, NoteJury
from jury.pdf import contexte_lettre
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    CycleFactory,
    JureFactory,
    TerritoireFactory,
    UserFactory,
    noter,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MOTIF_ATTENTE = "Un projet solide, mais les places sont toutes attribuées."
MOTIF_REFUS = "La démarche de participation n'a pas encore de porteur politique identifié."
pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext absent")


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


def _deposee(cycle, nom, **champs):
    return CandidatureDeposeeFactory(cycle=cycle, territoire=TerritoireFactory(nom=nom), **champs)


@pytest.fixture
def trois(jury, equipe):
    """Arras retained, Béthune on the waiting list (rank 1), Calais not retained."""
    cycle = jury.cycle
    arras = _deposee(cycle, "Arras")
    bethune = _deposee(cycle, "Béthune")
    calais = _deposee(cycle, "Calais", adresse="Hôtel de ville\nPlace du Soldat inconnu")
    services.decision_enregistrer(arras, statut="retenue", par=equipe)
    services.decision_enregistrer(
        bethune, statut="attente", motif=MOTIF_ATTENTE, rang_attente=1, par=equipe
    )
    services.decision_enregistrer(calais, statut="non_retenue", motif=MOTIF_REFUS, par=equipe)
    return {"arras": arras, "bethune": bethune, "calais": calais}


def _url(nom, cycle, *args):
    return reverse(f"resultats:{nom}", args=[cycle.slug, *args])


def _publier(jury, equipe):
    services.resultats_publier(jury, par=equipe)
    jury.cycle.refresh_from_db()


def _texte_pdf(contenu, tmp_path):
    chemin = tmp_path / "document.pdf"
    chemin.write_bytes(contenu)
    sortie = subprocess.run(
        ["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(sortie.stdout.split())


def _decisions_courriels():
    return sorted(
        (courriel.cle, courriel.categorie, len(courriel.pieces_jointes.all()))
        for courriel in Courriel.objects.filter(categorie="decision")
    )


# --- access ---------------------------------------------------------------------------------


def _urls_equipe(cycle, candidature):
    return [
        ("get", _url("resultats", cycle)),
        ("get", _url("envoyer", cycle)),
        ("post", _url("envoyer", cycle)),
        ("post", _url("modele", cycle, "retenue")),
        ("post", _url("programmer", cycle)),
        ("post", _url("deprogrammer", cycle)),
        ("get", reverse("resultats:lettre", args=[candidature.pk])),
    ]


def test_pages_equipe_anonyme_redirige_vers_connexion(client, jury, trois):
    for methode, url in _urls_equipe(jury.cycle, trois["arras"]):
        response = getattr(client, methode)(url)

        assert (response.status_code, response.url) == (
            302,
            f"{reverse('account_login')}?next={url}",
        )


@pytest.mark.parametrize("qui", ["jure", "candidat"])
def test_pages_equipe_jure_ou_candidat_404(client, jury, trois, qui):
    personne = JureFactory(cycle=jury.cycle).user if qui == "jure" else trois["arras"].proprietaire
    client.force_login(personne)

    codes = [
        getattr(client, methode)(url).status_code
        for methode, url in _urls_equipe(jury.cycle, trois["arras"])
    ]

    assert codes == [404] * 7
    jury.refresh_from_db()
    jury.cycle.refresh_from_db()
    assert (jury.envoi_prevu_le, jury.cycle.resultats_publies_le) == (None, None)
    assert not Courriel.objects.filter(categorie="decision").exists()


def test_pages_candidat_anonyme_redirige_vers_connexion(client, jury, trois):
    for nom in ("resultat", "lettre"):
        url = reverse(f"resultat_candidat:{nom}", args=[trois["arras"].pk])

        response = client.get(url)

        assert (response.status_code, response.url) == (
            302,
            f"{reverse('account_login')}?next={url}",
        )


def test_resultat_candidature_d_une_autre_collectivite_404(client, jury, equipe, trois):
    _publier(jury, equipe)
    client.force_login(trois["arras"].proprietaire)

    codes = [
        client.get(reverse(f"resultat_candidat:{nom}", args=[trois["calais"].pk])).status_code
        for nom in ("resultat", "lettre")
    ]

    assert codes == [404, 404]


def test_resultat_equipe_sans_etre_candidate_404(client_equipe, jury, equipe, trois):
    # Staff read the letters on their own page; the candidate's space is the candidate's.
    _publier(jury, equipe)

    response = client_equipe.get(reverse("resultat_candidat:resultat", args=[trois["arras"].pk]))

    assert response.status_code == 404


def test_lettre_equipe_candidature_sans_decision_404(client_equipe, jury):
    candidature = _deposee(jury.cycle, "Douai")

    response = client_equipe.get(reverse("resultats:lettre", args=[candidature.pk]))

    assert response.status_code == 404


# --- templates and preview ------------------------------------------------------------------


def test_modele_modifier_enregistre_et_historise(client_equipe, jury, trois):
    response = client_equipe.post(
        _url("modele", jury.cycle, "retenue"),
        {
            "modele-retenue-sujet": "Bienvenue à {collectivite}",
            "modele-retenue-corps": "Madame, Monsieur,\n\nRendez-vous le {premiere_seance}.",
        },
    )

    assert response.status_code == 302
    assert response.url == _url("resultats", jury.cycle) + "#modele-retenue"
    modele = ModeleDecision.objects.get(cycle=jury.cycle, statut="retenue")
    assert (modele.sujet, modele.corps) == (
        "Bienvenue à {collectivite}",
        "Madame, Monsieur,\n\nRendez-vous le {premiere_seance}.",
    )
    assert Historique.objects.filter(action="modele_decision").count() == 1


def test_modele_modifier_variable_inconnue_refusee(client_equipe, jury, trois):
    avant = services.modeles_par_defaut(jury.cycle)["non_retenue"]

    response = client_equipe.post(
        _url("modele", jury.cycle, "non_retenue"),
        {"modele-non_retenue-sujet": "Réponse", "modele-non_retenue-corps": "Note : {score}"},
    )

    assert response.status_code == 422
    assert "Variables inconnues : {score}." in response.content.decode()
    modele = ModeleDecision.objects.get(pk=avant.pk)
    assert (modele.sujet, modele.corps) == (avant.sujet, avant.corps)
    assert not Historique.objects.filter(action="modele_decision").exists()


def test_modele_modifier_champ_vide_refuse(client_equipe, jury, trois):
    avant = services.modeles_par_defaut(jury.cycle)["attente"]

    response = client_equipe.post(
        _url("modele", jury.cycle, "attente"),
        {"modele-attente-sujet": "", "modele-attente-corps": "Texte"},
    )

    assert response.status_code == 422
    assert "Écrivez l&#x27;objet du courriel." in response.content.decode()
    assert ModeleDecision.objects.get(pk=avant.pk).sujet == avant.sujet


def test_modele_modifier_statut_inconnu_404(client_equipe, jury):
    response = client_equipe.post(_url("modele", jury.cycle, "ajournee"), {})

    assert response.status_code == 404


def test_modele_modifier_apres_publication_refuse(client_equipe, jury, equipe, trois):
    _publier(jury, equipe)
    avant = ModeleDecision.objects.get(cycle=jury.cycle, statut="retenue")

    response = client_equipe.post(
        _url("modele", jury.cycle, "retenue"),
        {"modele-retenue-sujet": "Autre objet", "modele-retenue-corps": "Autre texte"},
    )

    assert response.status_code == 422
    assert "Les résultats sont publiés : les modèles ne changent plus." in (
        response.content.decode()
    )
    assert ModeleDecision.objects.get(pk=avant.pk).sujet == avant.sujet


def test_page_resultats_apercu_avec_collectivite_et_motif(client_equipe, jury, equipe):
    cycle = jury.cycle
    calais = _deposee(cycle, "Calais")
    services.decision_enregistrer(calais, statut="non_retenue", motif=MOTIF_REFUS, par=equipe)
    services.modele_modifier(
        services.modeles_par_defaut(cycle)["non_retenue"],
        sujet="{cycle} : réponse pour {collectivite}",
        corps="Madame, Monsieur,\n\nMotif : {motif}",
        par=equipe,
    )

    response = client_equipe.get(_url("resultats", cycle))

    assert response.status_code == 200
    apercus = [
        (bloc.statut, bloc.exemple, bloc.apercu_sujet, bloc.apercu_corps)
        for bloc in response.context["blocs"]
    ]
    assert apercus == [
        ("retenue", None, "", ""),
        ("attente", None, "", ""),
        (
            "non_retenue",
            calais.decision,
            f"{cycle.titre} : réponse pour Calais",
            f"Madame, Monsieur,\n\nMotif : {MOTIF_REFUS}",
        ),
    ]
    contenu = response.content.decode()
    assert "Motif : " + MOTIF_REFUS.replace("'", "&#x27;") in contenu
    assert reverse("resultats:lettre", args=[calais.pk]) in contenu
    assert "Aucune candidature n'a cette décision pour l'instant" in contenu
    assert "{collectivite}" in contenu  # the list of variables beside the forms


def test_page_resultats_problemes_et_compteurs(client_equipe, jury, trois):
    _deposee(jury.cycle, "Douai")

    response = client_equipe.get(_url("resultats", jury.cycle))

    assert [(bloc.statut, bloc.nombre) for bloc in response.context["blocs"]] == [
        ("retenue", 1),
        ("attente", 1),
        ("non_retenue", 1),
    ]
    assert response.context["sans_decision"] == 1
    assert response.context["problemes"] == ["1 candidature(s) déposée(s) sans décision."]
    assert reverse("deliberation:classement", args=[jury.cycle.slug]) in response.content.decode()


@pdftotext
def test_lettre_equipe_pdf_en_ligne(client_equipe, jury, trois, tmp_path):
    response = client_equipe.get(reverse("resultats:lettre", args=[trois["calais"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="decision-calais.pdf"'
    assert response.content.startswith(b"%PDF")
    texte = _texte_pdf(response.content, tmp_path)
    assert "Calais" in texte
    assert "Place du Soldat inconnu" in texte
    assert f"Pour le {jury.cycle.porteur}, l'équipe du cycle" in texte


# --- the letter -----------------------------------------------------------------------------


def test_contexte_lettre_date_de_publication_et_signature_propre(jury, equipe, trois):
    cycle = jury.cycle
    modele = services.modele_modifier(
        services.modeles_par_defaut(cycle)["non_retenue"],
        sujet="Réponse à {collectivite}",
        corps="Madame, Monsieur,\n\nMotif : {motif}\n\nL'équipe du {porteur}\n{contact}",
        par=equipe,
    )
    cycle.resultats_publies_le = datetime.datetime(2021, 4, 1, 9, tzinfo=PARIS)
    decision = Decision.objects.select_related("candidature__cycle").get(
        candidature=trois["calais"]
    )
    decision.candidature.cycle = cycle

    contexte = contexte_lettre(decision, modele)

    assert (
        contexte["collectivite"],
        contexte["adresse"],
        contexte["objet"],
        contexte["paragraphes"],
        contexte["date_lettre"],
    ) == (
        "Calais",
        ["Hôtel de ville", "Place du Soldat inconnu"],
        "Réponse à Calais",
        ["Madame, Monsieur,", f"Motif : {MOTIF_REFUS}"],
        "1er avril 2021",
    )


# --- scheduling and sending -----------------------------------------------------------------


def test_programmer_refuse_si_candidature_deposee_sans_decision(client_equipe, jury, trois):
    _deposee(jury.cycle, "Douai")

    response = client_equipe.post(_url("programmer", jury.cycle))

    assert response.status_code == 422
    assert "1 candidature(s) déposée(s) sans décision." in response.content.decode()
    jury.refresh_from_db()
    assert jury.envoi_prevu_le is None


def test_programmer_fixe_l_envoi_a_9_h_le_jour_de_la_reponse(client_equipe, jury, trois):
    response = client_equipe.post(_url("programmer", jury.cycle))

    assert response.status_code == 302
    jury.refresh_from_db()
    assert jury.envoi_prevu_le == datetime.datetime.combine(
        jury.cycle.date_reponse, datetime.time(9), tzinfo=PARIS
    )
    page = client_equipe.get(_url("resultats", jury.cycle)).content.decode()
    assert "Annuler la programmation" in page
    assert "Valider et programmer" not in page


def test_page_propose_la_date_de_reponse_a_9_h(client_equipe, jury, trois):
    jury.cycle.date_reponse = datetime.date(2021, 4, 15)
    jury.cycle.save(update_fields=["date_reponse"])

    response = client_equipe.get(_url("resultats", jury.cycle))

    assert "Valider et programmer l'envoi le jeudi 15 avril 2021 à 9" in (response.content.decode())


def test_deprogrammer_annule_l_envoi(client_equipe, jury, equipe, trois):
    services.resultats_programmer(jury, par=equipe)

    response = client_equipe.post(_url("deprogrammer", jury.cycle))

    assert response.status_code == 302
    jury.refresh_from_db()
    assert jury.envoi_prevu_le is None
    assert services.resultats_envoyer(maintenant=timezone.now() + datetime.timedelta(days=400)) == 0


def test_balayage_avant_l_heure_n_envoie_rien_puis_publie_une_fois(jury, equipe, trois):
    services.resultats_programmer(jury, par=equipe)
    jury.refresh_from_db()
    avant = jury.envoi_prevu_le - datetime.timedelta(minutes=1)

    assert services.resultats_envoyer(maintenant=avant) == 0
    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is None
    assert Courriel.objects.filter(categorie="decision").count() == 0

    assert services.resultats_envoyer(maintenant=jury.envoi_prevu_le) == 3
    assert services.resultats_envoyer(maintenant=jury.envoi_prevu_le) == 0

    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is not None
    attendu = sorted((f"decision:candidature={c.pk}", "decision", 1) for c in trois.values())
    assert _decisions_courriels() == attendu
    calais = Courriel.objects.get(cle=f"decision:candidature={trois['calais'].pk}")
    assert calais.destinataires == sorted(
        {
            trois["calais"].proprietaire.email,
            trois["calais"].politique_email,
            trois["calais"].technique_email,
        }
    )
    assert MOTIF_REFUS in calais.texte
    piece = PieceJointe.objects.get(courriel=calais)
    assert (piece.nom, piece.type_mime, bytes(piece.contenu)[:4]) == (
        "decision-calais.pdf",
        "application/pdf",
        b"%PDF",
    )


def test_envoyer_maintenant_sans_confirmation_refuse(client_equipe, jury, trois):
    response = client_equipe.post(_url("envoyer", jury.cycle), {})

    assert response.status_code == 422
    assert "Cochez la case pour confirmer l&#x27;envoi." in response.content.decode()
    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is None
    assert Courriel.objects.filter(categorie="decision").count() == 0


def test_envoyer_maintenant_page_de_confirmation(client_equipe, jury, trois):
    response = client_equipe.get(_url("envoyer", jury.cycle))

    assert response.status_code == 200
    assert response.context["comptes"] == [
        ("Retenue", 1),
        ("Liste d'attente", 1),
        ("Non retenue", 1),
    ]
    assert 'name="confirmer"' in response.content.decode()


def test_envoyer_maintenant_publie_aussitot(client_equipe, jury, trois):
    response = client_equipe.post(_url("envoyer", jury.cycle), {"confirmer": "on"})

    assert response.status_code == 302
    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is not None
    assert _decisions_courriels() == sorted(
        (f"decision:candidature={c.pk}", "decision", 1) for c in trois.values()
    )
    # A second click (another tab) sends nothing more.
    encore = client_equipe.post(_url("envoyer", jury.cycle), {"confirmer": "on"})
    assert encore.status_code == 302
    assert Courriel.objects.filter(categorie="decision").count() == 3


def test_envoyer_maintenant_refuse_s_il_manque_une_decision(client_equipe, jury, trois):
    _deposee(jury.cycle, "Douai")

    response = client_equipe.post(_url("envoyer", jury.cycle), {"confirmer": "on"})

    assert response.status_code == 422
    assert "1 candidature(s) déposée(s) sans décision." in response.content.decode()
    jury.cycle.refresh_from_db()
    assert jury.cycle.resultats_publies_le is None


def test_decisions_figees_apres_publication(jury, equipe, trois):
    _publier(jury, equipe)

    with pytest.raises(ValidationError) as erreur:
        services.decision_enregistrer(trois["calais"], statut="retenue", par=equipe)

    assert erreur.value.messages == [
        "Les résultats sont publiés : la décision ne peut plus changer ici."
    ]
    assert Decision.objects.get(candidature=trois["calais"]).statut == "non_retenue"


def test_page_apres_publication_liste_les_courriels(client_equipe, jury, equipe, trois):
    _publier(jury, equipe)
    Courriel.objects.filter(cle=f"decision:candidature={trois['arras'].pk}").update(
        etat=EtatCourriel.ENVOYE, envoye_le=timezone.now()
    )
    Courriel.objects.filter(cle=f"decision:candidature={trois['calais'].pk}").update(
        etat=EtatCourriel.ECHEC, derniere_erreur="SMTPServerDisconnected: connexion perdue"
    )

    response = client_equipe.get(_url("resultats", jury.cycle))

    lignes = [
        (
            str(ligne.decision.candidature.nom_collectivite),
            ligne.courriel.destinataires,
            ligne.courriel.etat,
        )
        for ligne in response.context["courriels"]
    ]
    assert lignes == [
        (
            "Arras",
            sorted({trois["arras"].proprietaire.email, *_referents(trois["arras"])}),
            EtatCourriel.ENVOYE,
        ),
        (
            "Béthune",
            sorted({trois["bethune"].proprietaire.email, *_referents(trois["bethune"])}),
            EtatCourriel.A_ENVOYER,
        ),
        (
            "Calais",
            sorted({trois["calais"].proprietaire.email, *_referents(trois["calais"])}),
            EtatCourriel.ECHEC,
        ),
    ]
    contenu = response.content.decode()
    assert "SMTPServerDisconnected: connexion perdue" in contenu
    assert "Valider et programmer" not in contenu
    assert 'name="modele-retenue-sujet"' not in contenu


def _referents(candidature):
    return [candidature.politique_email, candidature.technique_email]


def _requetes_page_publiee(client, noms):
    cycle = CycleFactory(
        ouverture_ami=timezone.now() - datetime.timedelta(days=60),
        date_limite=timezone.now() - datetime.timedelta(days=5),
    )
    jury = services.jury_obtenir(cycle)
    equipe = UserFactory(is_staff=True)
    for nom in noms:
        candidature = _deposee(jury.cycle, nom)
        services.decision_enregistrer(candidature, statut="retenue", par=equipe)
    _publier(jury, equipe)
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(_url("resultats", jury.cycle))
    assert len(response.context["courriels"]) == len(noms)
    return len(requetes)


def test_page_publiee_nombre_de_requetes_constant(client_equipe):
    assert _requetes_page_publiee(client_equipe, ["Arras"]) == _requetes_page_publiee(
        client_equipe, ["Béthune", "Calais", "Douai"]
    )


# --- the candidate's side -------------------------------------------------------------------


def test_candidat_ne_voit_rien_avant_publication(client, jury, trois):
    client.force_login(trois["calais"].proprietaire)

    codes = [
        client.get(reverse(f"resultat_candidat:{nom}", args=[trois["calais"].pk])).status_code
        for nom in ("resultat", "lettre")
    ]
    liste = client.get(reverse("candidatures:liste")).content.decode()

    assert codes == [404, 404]
    assert reverse("resultat_candidat:resultat", args=[trois["calais"].pk]) not in liste


def test_candidat_voit_le_lien_apres_publication(client, jury, equipe, trois):
    _publier(jury, equipe)
    client.force_login(trois["calais"].proprietaire)

    liste = client.get(reverse("candidatures:liste")).content.decode()

    assert reverse("resultat_candidat:resultat", args=[trois["calais"].pk]) in liste
    assert "voir la réponse du jury" in liste


def test_candidat_brouillon_sans_lien_apres_publication(client, jury, equipe, trois):
    brouillon = CandidatureFactory(cycle=jury.cycle)
    _publier(jury, equipe)
    client.force_login(brouillon.proprietaire)

    liste = client.get(reverse("candidatures:liste")).content.decode()

    assert "voir la réponse du jury" not in liste


def test_candidat_non_retenue_voit_motif_sans_note_ni_commentaire(client, jury, equipe, trois):
    jure = JureFactory(cycle=jury.cycle)
    affectation = AffectationFactory(candidature=trois["calais"], jure=jure)
    noter(affectation, {2: 3, 3: 4})
    NoteJury.objects.filter(affectation=affectation).update(commentaire="Remarque-interne-du-jure")
    affectation.commentaire = "Appreciation-confidentielle"
    affectation.save(update_fields=["commentaire"])
    score = selectors.classement_du_cycle(jury.cycle).lignes[0].calcul.score
    assert round(score, 2) == 17.78  # the ranking shows « 17,78 »
    _publier(jury, equipe)
    client.force_login(trois["calais"].proprietaire)

    response = client.get(reverse("resultat_candidat:resultat", args=[trois["calais"].pk]))

    assert response.status_code == 200
    contenu = response.content.decode()
    assert "Votre candidature n'est pas retenue cette fois-ci." in contenu
    assert MOTIF_REFUS.replace("'", "&#x27;") in contenu
    assert "reste à vos côtés" in contenu
    assert reverse("resultat_candidat:lettre", args=[trois["calais"].pk]) in contenu
    interdits = [
        "Remarque-interne-du-jure",
        "Appreciation-confidentielle",
        jure.user.last_name,
        f"{score:.2f}",
        f"{score:.2f}".replace(".", ","),
    ]
    assert [texte for texte in interdits if texte in contenu] == []


def test_candidat_attente_voit_son_rang(client, jury, equipe, trois):
    _publier(jury, equipe)
    client.force_login(trois["bethune"].proprietaire)

    response = client.get(reverse("resultat_candidat:resultat", args=[trois["bethune"].pk]))

    contenu = response.content.decode()
    assert "Votre candidature est sur liste d'attente." in contenu
    assert "Elle y figure au rang 1." in contenu
    assert MOTIF_ATTENTE in contenu


def test_candidat_retenue_voit_la_premiere_seance(client, jury, equipe, trois):
    jury.cycle.premiere_seance = datetime.date(2021, 5, 20)
    jury.cycle.save(update_fields=["premiere_seance"])
    _publier(jury, equipe)
    client.force_login(trois["arras"].proprietaire)

    response = client.get(reverse("resultat_candidat:resultat", args=[trois["arras"].pk]))

    contenu = response.content.decode()
    assert "Votre candidature est retenue." in contenu
    assert "<strong>jeudi 20 mai 2021</strong>" in contenu
    assert "Ce qui a guidé la décision" not in contenu


@pdftotext
def test_candidat_telecharge_sa_lettre(client, jury, equipe, trois, tmp_path):
    _publier(jury, equipe)
    client.force_login(trois["calais"].proprietaire)

    response = client.get(reverse("resultat_candidat:lettre", args=[trois["calais"].pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="decision-calais.pdf"'
    assert response.content.startswith(b"%PDF")
    texte = _texte_pdf(response.content, tmp_path)
    assert "Calais" in texte
    assert "Jean Dupont" in texte  # the political referent, in the recipient block


def test_resultat_autre_cycle_non_publie_reste_cache(client, jury, equipe, trois):
    # Publishing one cycle shows nothing of another cycle's decisions.
    autre = CandidatureDeposeeFactory(
        cycle=CycleFactory(
            date_limite=timezone.now() - datetime.timedelta(days=1),
            ouverture_ami=timezone.now() - datetime.timedelta(days=40),
        )
    )
    services.decision_enregistrer(autre, statut="retenue", par=equipe)
    _publier(jury, equipe)
    client.force_login(autre.proprietaire)

    response = client.get(reverse("resultat_candidat:resultat", args=[autre.pk]))

    assert response.status_code == 404
