"""The participants' space (/seances/): calendar, session page, confirmation, questions for the
speaker, evaluation, resources, needs survey, pair page, and who may see what."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.formats import date_en_toutes_lettres
from seances import services
from seances.models import (
    Attestation,
    Confirmation,
    Evaluation,
    PointProgramme,
    Question,
    ReponseBesoins,
    Ressource,
)
from tests.factories import (
    CycleFactory,
    IntervenantFactory,
    MembreFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db


def jours(n) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def messages_de(reponse):
    return [str(message) for message in get_messages(reponse.wsgi_request)]


def membre_de(binome, role="elu", suppleant=False):
    return binome.membres.get(role=role, suppleant=suppleant, actif=True)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours", titre="Vers des territoires participatifs 2021")


@pytest.fixture
def binome(cycle):
    return binome_complet(cycle, suppleants=("elu",))


@pytest.fixture
def elu(binome):
    return membre_de(binome)


@pytest.fixture
def seance(cycle):
    return SeanceFactory(
        cycle=cycle,
        numero=2,
        date=jours(30),
        theme="Mobiliser les publics éloignés",
        lieu="Base 11/19",
        adresse="Rue de Bourgogne, 62750 Loos-en-Gohelle",
    )


@pytest.fixture
def client_elu(client, elu):
    client.force_login(elu.user)
    return client


@pytest.fixture
def autre_binome(cycle):
    return binome_complet(cycle, suppleants=("technicien",))


@pytest.fixture
def etranger():
    """A participant of another cycle."""
    autre = binome_complet(CycleFactory(statut="en_cours"))
    SeanceFactory(cycle=autre.cycle, date=jours(20))
    return membre_de(autre)


# --- access -----------------------------------------------------------------------------------


def urls_participant(seance):
    return [
        reverse("seances:calendrier"),
        reverse("seances:seance", args=[seance.pk]),
        reverse("seances:confirmer", args=[seance.pk]),
        reverse("seances:evaluer", args=[seance.pk]),
        reverse("seances:besoins", args=[seance.cycle.slug]),
        reverse("seances:agenda"),
    ]


def test_anonyme_renvoye_vers_la_connexion(client, seance, binome):
    ressource = Ressource.objects.create(seance=seance, titre="Plan", url="https://exemple.fr/")
    urls = [
        *urls_participant(seance),
        reverse("seances:ressource", args=[ressource.pk]),
        reverse("seances:binome", args=[binome.pk]),
    ]
    for url in urls:
        reponse = client.get(url)
        assert reponse.status_code == 302, url
        assert reponse.url.startswith(reverse("account_login")), url
    for url in (
        reverse("seances:questions", args=[seance.pk]),
        reverse("seances:question_retirer", args=[seance.pk, 1]),
    ):
        reponse = client.post(url, {"texte": "Une question ?"})
        assert reponse.url.startswith(reverse("account_login")), url
    assert not Question.objects.exists()


def test_participant_d_un_autre_cycle_recoit_404(client, seance, binome, etranger):
    ressource = Ressource.objects.create(
        seance=seance, titre="Plan", fichier=SimpleUploadedFile("plan.pdf", b"%PDF-1.4")
    )
    client.force_login(etranger.user)

    for url in [
        reverse("seances:seance", args=[seance.pk]),
        reverse("seances:confirmer", args=[seance.pk]),
        reverse("seances:evaluer", args=[seance.pk]),
        reverse("seances:besoins", args=[seance.cycle.slug]),
        reverse("seances:ressource", args=[ressource.pk]),
        reverse("seances:binome", args=[binome.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("seances:confirmer", args=[seance.pk]),
            {"reponse": "excuse"},
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("seances:questions", args=[seance.pk]), {"texte": "?"}).status_code
        == 404
    )
    assert not Confirmation.objects.exists()
    assert not Question.objects.exists()


def test_participant_ne_voit_pas_le_binome_d_une_autre_collectivite(
    client_elu, autre_binome, binome
):
    assert client_elu.get(reverse("seances:binome", args=[autre_binome.pk])).status_code == 404
    assert client_elu.get(reverse("seances:binome", args=[binome.pk])).status_code == 200


def test_personne_sans_binome_voit_une_page_explicative(client, seance):
    client.force_login(UserFactory())

    reponse = client.get(reverse("seances:calendrier"))

    assert reponse.status_code == 200
    assert reponse.context["espaces"] == []
    assert "Vous ne faites partie d" in reponse.content.decode()
    assert seance.theme not in reponse.content.decode()
    assert client.get(reverse("seances:seance", args=[seance.pk])).status_code == 404


def test_equipe_voit_toutes_les_seances_et_son_tableau(client, equipe, seance, etranger):
    client.force_login(equipe)

    reponse = client.get(reverse("seances:calendrier"))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    cycles = [espace.cycle for espace in reponse.context["espaces"]]
    assert sorted(c.pk for c in cycles) == sorted([seance.cycle.pk, etranger.binome.cycle.pk])
    assert all(espace.membre is None for espace in reponse.context["espaces"])
    assert seance.theme in html
    assert reverse("equipe_seances:tableau", args=[seance.cycle.slug]) in html
    assert "Votre réponse" not in html


def test_equipe_voit_la_page_de_seance_sans_parties_personnelles(client, equipe, seance):
    client.force_login(equipe)

    reponse = client.get(reverse("seances:seance", args=[seance.pk]))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert reverse("equipe_seances:seance", args=[seance.cycle.slug, seance.numero]) in html
    assert 'id="ma-reponse"' not in html
    assert 'id="questions"' not in html
    assert client.get(reverse("seances:confirmer", args=[seance.pk])).status_code == 404
    reponse = client.get(reverse("seances:evaluer", args=[seance.pk]))
    assert reponse.url == reverse(
        "equipe_seances:evaluations", args=[seance.cycle.slug, seance.numero]
    )
    reponse = client.get(reverse("seances:besoins", args=[seance.cycle.slug]))
    assert reponse.url == reverse("equipe_seances:besoins", args=[seance.cycle.slug])


# --- the calendar -----------------------------------------------------------------------------


def test_calendrier_seances_dans_l_ordre_avec_ma_reponse(client_elu, cycle, elu, binome):
    passee = SeanceFactory(cycle=cycle, numero=1, date=jours(-40), theme="Lancement")
    prochaine = SeanceFactory(cycle=cycle, numero=2, date=jours(10), theme="Posture de l'élu")
    suivante = SeanceFactory(cycle=cycle, numero=3, date=jours(50), theme="Évaluer")
    services.confirmation_enregistrer(
        prochaine, elu, reponse="present", matin=True, apres_midi=False, dejeuner=True
    )

    reponse = client_elu.get(reverse("seances:calendrier"))

    assert reponse.status_code == 200
    [espace] = reponse.context["espaces"]
    assert espace.membre == elu
    assert [ligne.seance for ligne in espace.lignes] == [passee, prochaine, suivante]
    assert [ligne.etat for ligne in espace.lignes] == ["passee", "a_venir", "a_venir"]
    assert espace.prochaine.seance == prochaine
    html = reponse.content.decode()
    assert date_en_toutes_lettres(prochaine.date) in html
    assert date_en_toutes_lettres(suivante.date) in html
    assert "Prochaine séance" in html
    assert "Passée" in html
    assert "le matin seulement" in html
    assert "pas encore répondu" in html
    assert reverse("seances:confirmer", args=[suivante.pk]) in html
    assert reverse("seances:binome", args=[binome.pk]) in html
    assert reverse("seances:agenda") in html
    assert reverse("seances:attestations") in html


def test_calendrier_hote_et_lieu(client_elu, cycle, autre_binome):
    SeanceFactory(cycle=cycle, date=jours(10), lieu="Salle des fêtes", hote=autre_binome)

    html = client_elu.get(reverse("seances:calendrier")).content.decode()

    assert "Salle des fêtes" in html
    assert escape(str(autre_binome)) in html


def test_calendrier_questionnaire_des_besoins_mis_en_avant_avant_la_premiere_seance(
    client_elu, cycle, elu
):
    SeanceFactory(cycle=cycle, numero=1, date=jours(10))
    url_besoins = reverse("seances:besoins", args=[cycle.slug])

    reponse = client_elu.get(reverse("seances:calendrier"))
    assert reponse.context["espaces"][0].besoins_a_remplir
    assert "Répondre au questionnaire" in reponse.content.decode()

    services.besoins_enregistrer(elu, themes=["methodes"])
    reponse = client_elu.get(reverse("seances:calendrier"))
    assert not reponse.context["espaces"][0].besoins_a_remplir
    html = reponse.content.decode()
    assert "Répondre au questionnaire" not in html
    assert url_besoins in html  # still there, to review the answers


def test_calendrier_questionnaire_plus_mis_en_avant_apres_la_premiere_seance(client_elu, cycle):
    SeanceFactory(cycle=cycle, numero=1, date=jours(-1))

    reponse = client_elu.get(reverse("seances:calendrier"))

    assert not reponse.context["espaces"][0].besoins_a_remplir
    assert "Répondre au questionnaire" not in reponse.content.decode()


@pytest.mark.parametrize("nombre", [1, 3])
def test_calendrier_nombre_de_requetes_constant(
    client_elu, cycle, elu, nombre, django_assert_num_queries
):
    for numero in range(nombre):
        seance = SeanceFactory(cycle=cycle, numero=numero + 1, date=jours(10 + numero))
        IntervenantFactory(seance=seance)
        services.confirmation_enregistrer(seance, elu, reponse="excuse")
    client_elu.get(reverse("seances:calendrier"))  # session and roles warmed up

    with django_assert_num_queries(9):
        reponse = client_elu.get(reverse("seances:calendrier"))

    assert len(reponse.context["espaces"][0].lignes) == nombre


# --- the session page -------------------------------------------------------------------------


def test_page_seance_complete(client_elu, seance, elu, binome, autre_binome):
    intervenant = IntervenantFactory(
        seance=seance, nom="Marion Leclerc", qualite="Sociologue", bio="Autrice d'un guide."
    )
    PointProgramme.objects.create(
        seance=seance,
        heure_debut=datetime.time(10),
        titre="Conférence inversée",
        format="conference_inversee",
        intervenant=intervenant,
    )
    seance.note_contexte = "<p>À lire <strong>avant</strong></p><script>alert(1)</script>"
    seance.save()
    lien = Ressource.objects.create(seance=seance, titre="Guide", url="https://exemple.fr/guide")
    fichier = Ressource.objects.create(
        seance=seance, titre="Diaporama", fichier=SimpleUploadedFile("diapo.pdf", b"%PDF-1.4")
    )
    technicien = membre_de(binome, "technicien")
    services.confirmation_enregistrer(seance, technicien, reponse="excuse")

    reponse = client_elu.get(reverse("seances:seance", args=[seance.pk]))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert date_en_toutes_lettres(seance.date) in html
    assert "Rue de Bourgogne, 62750 Loos-en-Gohelle" in html
    assert "Marion Leclerc" in html
    assert "Sociologue" in html
    assert "Conférence inversée" in html  # format label
    assert "<strong>avant</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="https://exemple.fr/guide" target="_blank" rel="noopener noreferrer"' in html
    assert reverse("seances:ressource", args=[fichier.pk]) in html
    assert reverse("seances:ressource", args=[lien.pk]) not in html
    # The pair's answers: only this collectivity.
    noms = [m.user.nom_affiche for m, _c in reponse.context["binome"].membres]
    assert sorted(noms) == sorted(m.user.nom_affiche for m in binome.membres.all())
    for membre in autre_binome.membres.all():
        assert escape(membre.user.nom_affiche) not in html
    assert "excusé·e" in html
    assert reverse("seances:confirmer", args=[seance.pk]) in html


def test_page_seance_lien_de_reponse_ferme_le_jour_de_la_seance(client_elu, cycle):
    du_jour = SeanceFactory(cycle=cycle, date=jours(0))

    html = client_elu.get(reverse("seances:seance", args=[du_jour.pk])).content.decode()

    assert reverse("seances:confirmer", args=[du_jour.pk]) not in html
    assert "Les réponses sont closes" in html


def test_page_seance_passee_montre_le_binome_releve_et_non_l_annonce(
    client_elu, cycle, binome, elu
):
    from seances import services

    passee = SeanceFactory(cycle=cycle, date=jours(-3))
    services.presence_marquer(passee, elu, "matin", "present", par=None)

    html = client_elu.get(reverse("seances:seance", args=[passee.pk])).content.decode()

    assert "Ce jour-là" in html
    assert "élu·e seul·e" in html
    assert "pas encore confirmé au complet" not in html


# --- confirmation -----------------------------------------------------------------------------


def url_confirmer(seance):
    return reverse("seances:confirmer", args=[seance.pk])


def test_confirmer_present_enregistre(client_elu, seance, elu):
    reponse = client_elu.post(
        url_confirmer(seance),
        {
            "reponse": "present",
            "matin": "on",
            "dejeuner": "on",
            "regimes": ["vegetarien", "sans_gluten"],
            "precisions_repas": "Pas de fruits à coque",
        },
    )

    assert reponse.status_code == 302
    assert reponse.url == reverse("seances:seance", args=[seance.pk]) + "#ma-reponse"
    confirmation = Confirmation.objects.get(seance=seance, membre=elu)
    assert (
        confirmation.reponse,
        confirmation.matin,
        confirmation.apres_midi,
        confirmation.dejeuner,
        confirmation.regimes,
        confirmation.precisions_repas,
    ) == ("present", True, False, True, ["vegetarien", "sans_gluten"], "Pas de fruits à coque")
    assert messages_de(reponse) == ["Votre réponse est enregistrée. Merci !"]


def test_confirmer_prerempli_depuis_la_reponse(client_elu, seance, elu):
    services.confirmation_enregistrer(
        seance, elu, reponse="present", apres_midi=True, regimes=["sans_porc"]
    )

    reponse = client_elu.get(url_confirmer(seance))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert 'value="present" id="reponse-present"\n                 checked' in html
    assert 'name="matin" id="id_matin">' in html
    assert 'name="apres_midi" id="id_apres_midi" checked>' in html
    form = reponse.context["form"]
    assert form["regimes"].value() == ["sans_porc"]


def test_confirmer_sans_demi_journee_refuse(client_elu, seance, elu):
    reponse = client_elu.post(url_confirmer(seance), {"reponse": "present", "dejeuner": "on"})

    assert reponse.status_code == 422
    assert escape("Indiquez si vous venez le matin, l'après-midi ou les deux.") in (
        reponse.content.decode()
    )
    assert reponse.context["form"].errors["matin"]
    assert not Confirmation.objects.exists()


def test_confirmer_sans_reponse_refuse(client_elu, seance):
    reponse = client_elu.post(url_confirmer(seance), {"matin": "on"})

    assert reponse.status_code == 422
    assert "Choisissez une réponse." in reponse.content.decode()
    assert not Confirmation.objects.exists()


def test_confirmer_suppleant_d_un_autre_binome_refuse(client_elu, seance, autre_binome):
    suppleant_ailleurs = membre_de(autre_binome, "technicien", suppleant=True)

    reponse = client_elu.post(
        url_confirmer(seance), {"reponse": "remplace", "remplacant": suppleant_ailleurs.pk}
    )

    assert reponse.status_code == 422
    assert "Choisissez un·e suppléant·e de votre binôme" in reponse.content.decode()
    assert not Confirmation.objects.exists()
    assert not Courriel.objects.filter(cle__startswith="remplacement:").exists()


def test_confirmer_remplace_sans_choisir_refuse(client_elu, seance):
    reponse = client_elu.post(url_confirmer(seance), {"reponse": "remplace", "remplacant": ""})

    assert reponse.status_code == 422
    assert "Choisissez la personne qui vous remplace." in reponse.content.decode()
    assert not Confirmation.objects.exists()


def test_confirmer_remplace_previent_le_suppleant(client_elu, seance, elu, binome):
    suppleant = membre_de(binome, "elu", suppleant=True)

    reponse = client_elu.post(
        url_confirmer(seance), {"reponse": "remplace", "remplacant": suppleant.pk}
    )

    assert reponse.status_code == 302
    mienne = Confirmation.objects.get(seance=seance, membre=elu)
    assert (mienne.reponse, mienne.remplacant) == ("remplace", suppleant)
    sienne = Confirmation.objects.get(seance=seance, membre=suppleant)
    assert (sienne.reponse, sienne.matin, sienne.apres_midi) == ("present", True, True)
    [courriel] = Courriel.objects.filter(cle__startswith="remplacement:")
    assert courriel.destinataires == [suppleant.user.email]


def test_confirmer_binome_sans_suppleant_explique_de_contacter_le_cerdd(client, seance):
    sans = binome_complet(seance.cycle)
    client.force_login(membre_de(sans).user)

    reponse = client.get(url_confirmer(seance))

    html = reponse.content.decode()
    assert 'value="remplace" id="reponse-remplace"' in html
    assert 'aria-describedby="aide-remplace" disabled>' in html
    assert "Votre binôme n'a pas de suppléant·e. Pour en désigner un·e, écrivez" in html
    reponse = client.post(url_confirmer(seance), {"reponse": "remplace"})
    assert reponse.status_code == 422
    assert not Confirmation.objects.exists()


def test_confirmer_ferme_le_jour_de_la_seance(client_elu, cycle, elu):
    du_jour = SeanceFactory(cycle=cycle, date=jours(0))

    reponse = client_elu.get(url_confirmer(du_jour))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Les réponses sont closes" in html
    assert 'name="reponse"' not in html

    reponse = client_elu.post(url_confirmer(du_jour), {"reponse": "excuse"})
    assert reponse.status_code == 422
    assert "contactez l&#x27;équipe du Cerdd pour tout changement" in reponse.content.decode()
    assert not Confirmation.objects.exists()


def test_confirmer_modifier_sa_reponse(client_elu, seance, elu):
    services.confirmation_enregistrer(seance, elu, reponse="present", matin=True, dejeuner=True)

    client_elu.post(url_confirmer(seance), {"reponse": "excuse"})

    confirmation = Confirmation.objects.get(seance=seance, membre=elu)
    assert (confirmation.reponse, confirmation.matin, confirmation.dejeuner) == (
        "excuse",
        False,
        False,
    )


# --- questions for the speaker ----------------------------------------------------------------


def test_poser_une_question(client_elu, seance, elu):
    reponse = client_elu.post(
        reverse("seances:questions", args=[seance.pk]),
        {"texte": "  Comment toucher les jeunes ?  "},
    )

    assert reponse.url == reverse("seances:seance", args=[seance.pk]) + "#questions"
    assert list(Question.objects.values_list("auteur", "texte")) == [
        (elu.pk, "Comment toucher les jeunes ?")
    ]
    html = client_elu.get(reverse("seances:seance", args=[seance.pk])).content.decode()
    assert "Comment toucher les jeunes ?" in html
    assert "retirer" in html


def test_question_vide_refusee(client_elu, seance):
    reponse = client_elu.post(reverse("seances:questions", args=[seance.pk]), {"texte": "  "})

    assert reponse.status_code == 422
    assert "Écrivez votre question." in reponse.content.decode()
    assert not Question.objects.exists()


def test_question_apres_la_limite_refusee(client_elu, seance):
    seance.questions_jusqua = timezone.now() - datetime.timedelta(minutes=1)
    seance.save()

    reponse = client_elu.post(
        reverse("seances:questions", args=[seance.pk]), {"texte": "Trop tard ?"}
    )

    assert reponse.status_code == 422
    assert "Les questions pour l&#x27;intervenant·e sont closes." in reponse.content.decode()
    assert not Question.objects.exists()
    html = client_elu.get(reverse("seances:seance", args=[seance.pk])).content.decode()
    assert reverse("seances:questions", args=[seance.pk]) not in html


def test_retirer_sa_question(client_elu, seance, elu):
    question = services.question_poser(seance, elu, "Une question ?")

    reponse = client_elu.post(reverse("seances:question_retirer", args=[seance.pk, question.pk]))

    assert reponse.url.endswith("#questions")
    assert not Question.objects.exists()


def test_retirer_la_question_d_un_autre_404(client_elu, seance, binome):
    technicien = membre_de(binome, "technicien")
    question = services.question_poser(seance, technicien, "La sienne")

    reponse = client_elu.post(reverse("seances:question_retirer", args=[seance.pk, question.pk]))

    assert reponse.status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_retirer_une_question_en_get_refuse(client_elu, seance, elu):
    question = services.question_poser(seance, elu, "Une question ?")

    reponse = client_elu.get(reverse("seances:question_retirer", args=[seance.pk, question.pk]))

    assert reponse.status_code == 405
    assert Question.objects.filter(pk=question.pk).exists()


# --- evaluation -------------------------------------------------------------------------------


@pytest.fixture
def seance_passee(cycle):
    return SeanceFactory(cycle=cycle, numero=1, date=jours(-1), theme="Lancement")


def url_evaluer(seance):
    return reverse("seances:evaluer", args=[seance.pk])


def test_evaluer_enregistre_puis_modifie(client_elu, seance_passee, elu):
    page = client_elu.get(reverse("seances:seance", args=[seance_passee.pk])).content.decode()
    assert url_evaluer(seance_passee) in page
    html = client_elu.get(url_evaluer(seance_passee)).content.decode()
    assert "1 – décevant" in html
    assert "5 – excellent" in html
    assert "C&#x27;est bien" in html
    assert "Ça craint" in html
    assert "Demain…" in html

    reponse = client_elu.post(
        url_evaluer(seance_passee),
        {"note": "4", "bien": "Les échanges", "craint": "La salle", "demain": "Un atelier"},
    )

    assert reponse.url == reverse("seances:seance", args=[seance_passee.pk]) + "#evaluation"
    evaluation = Evaluation.objects.get(seance=seance_passee, membre=elu)
    assert (evaluation.note, evaluation.bien, evaluation.craint, evaluation.demain) == (
        4,
        "Les échanges",
        "La salle",
        "Un atelier",
    )
    reponse = client_elu.get(url_evaluer(seance_passee))
    assert reponse.context["form"]["note"].value() == 4
    assert "Les échanges" in reponse.content.decode()

    client_elu.post(url_evaluer(seance_passee), {"note": "5", "bien": "Tout"})
    evaluation.refresh_from_db()
    assert (evaluation.note, evaluation.bien, evaluation.craint) == (5, "Tout", "")
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("note", ["9", "0", "", "abc"])
def test_evaluer_mauvaise_note_refusee(client_elu, seance_passee, note):
    reponse = client_elu.post(url_evaluer(seance_passee), {"note": note, "bien": "Bien"})

    assert reponse.status_code == 422
    assert "Donnez une note de 1 à 5." in reponse.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("decalage", [30, -40])
def test_evaluer_fermee_avant_et_longtemps_apres(client_elu, cycle, decalage):
    seance = SeanceFactory(cycle=cycle, date=jours(decalage))

    reponse = client_elu.get(url_evaluer(seance))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert 'name="note"' not in html
    attendu = "s'ouvre l'après-midi de la séance" if decalage > 0 else "est close"
    assert attendu in html

    reponse = client_elu.post(url_evaluer(seance), {"note": "3"})
    assert reponse.status_code == 422
    assert escape("L'évaluation de cette séance n'est pas ouverte.") in reponse.content.decode()
    assert not Evaluation.objects.exists()


def test_evaluer_reserve_aux_membres_du_cycle(client, seance_passee, etranger):
    client.force_login(etranger.user)

    assert client.post(url_evaluer(seance_passee), {"note": "3"}).status_code == 404
    assert not Evaluation.objects.exists()


def test_ma_propre_evaluation_sur_la_page_de_seance(client_elu, seance_passee, elu, binome):
    services.evaluation_enregistrer(seance_passee, elu, note=2, craint="Trop long")
    services.evaluation_enregistrer(
        seance_passee, membre_de(binome, "technicien"), note=5, craint="Rien du tout"
    )

    html = client_elu.get(reverse("seances:seance", args=[seance_passee.pk])).content.decode()

    assert "2 sur 5" in html
    assert "Trop long" in html
    assert "Rien du tout" not in html


# --- resources --------------------------------------------------------------------------------


def contenu(reponse) -> bytes:
    # Read to the end: the test client then closes the file.
    return b"".join(reponse.streaming_content)


def test_ressource_fichier_servie_aux_membres_du_cycle(client, seance, elu, etranger, equipe):
    ressource = Ressource.objects.create(
        seance=seance,
        titre="Diaporama",
        fichier=SimpleUploadedFile("diaporama-seance.pdf", b"%PDF-1.4 contenu"),
    )
    url = reverse("seances:ressource", args=[ressource.pk])

    client.force_login(elu.user)
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert contenu(reponse) == b"%PDF-1.4 contenu"
    assert reponse["Content-Disposition"] == 'attachment; filename="diaporama-seance.pdf"'
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Cache-Control"] == "private, no-store"

    client.force_login(etranger.user)
    assert client.get(url).status_code == 404

    client.force_login(equipe)
    reponse = client.get(url)
    assert contenu(reponse) == b"%PDF-1.4 contenu"


def test_ressource_lien_404(client_elu, seance):
    ressource = Ressource.objects.create(seance=seance, titre="Site", url="https://exemple.fr/")

    assert client_elu.get(reverse("seances:ressource", args=[ressource.pk])).status_code == 404


# --- needs survey -----------------------------------------------------------------------------


def url_besoins(cycle):
    return reverse("seances:besoins", args=[cycle.slug])


def test_besoins_enregistres_puis_preremplis(client_elu, cycle, elu, seance):
    reponse = client_elu.post(
        url_besoins(cycle),
        {
            "themes": ["mobiliser", "budget"],
            "attentes": "Des méthodes",
            "projet": "Un budget participatif",
            "difficultes": "",
        },
    )

    assert reponse.url == reverse("seances:calendrier")
    besoins = ReponseBesoins.objects.get(membre=elu)
    assert (besoins.themes, besoins.attentes, besoins.projet, besoins.difficultes) == (
        ["mobiliser", "budget"],
        "Des méthodes",
        "Un budget participatif",
        "",
    )
    reponse = client_elu.get(url_besoins(cycle))
    assert reponse.context["form"]["themes"].value() == ["mobiliser", "budget"]
    assert "Un budget participatif" in reponse.content.decode()


def test_besoins_vides_refuses(client_elu, cycle, seance):
    reponse = client_elu.post(url_besoins(cycle), {"attentes": "  "})

    assert reponse.status_code == 422
    assert escape("Répondez à au moins une question avant d'envoyer.") in (reponse.content.decode())
    assert not ReponseBesoins.objects.exists()


def test_besoins_theme_inconnu_refuse(client_elu, cycle, seance):
    reponse = client_elu.post(url_besoins(cycle), {"themes": ["inconnu"]})

    assert reponse.status_code == 422
    assert not ReponseBesoins.objects.exists()


def test_besoins_clos_a_la_premiere_seance(client_elu, cycle, elu):
    SeanceFactory(cycle=cycle, numero=1, date=jours(0))
    services.besoins_enregistrer(elu, themes=["posture"], attentes="Avant")

    reponse = client_elu.get(url_besoins(cycle))
    html = reponse.content.decode()
    assert "Le questionnaire est clos" in html
    assert 'name="attentes"' not in html
    assert "Travailler la posture des élu·es et des agent·es" in html

    reponse = client_elu.post(url_besoins(cycle), {"attentes": "Après"})
    assert reponse.status_code == 302
    assert ReponseBesoins.objects.get(membre=elu).attentes == "Avant"


# --- the pair ---------------------------------------------------------------------------------


def test_page_binome_membres_suppleants_historique(client_elu, binome, elu, equipe):
    ancien = MembreFactory(
        binome=binome,
        role="technicien",
        actif=False,
        jusqua=timezone.now(),
        fonction="Ancien chargé de mission",
    )
    suppleant = membre_de(binome, "elu", suppleant=True)

    reponse = client_elu.get(reverse("seances:binome", args=[binome.pk]))

    assert reponse.status_code == 200
    assert [m.pk for m in reponse.context["titulaires"]] == sorted(
        [elu.pk, membre_de(binome, "technicien").pk], key=lambda pk: pk != elu.pk
    )
    assert reponse.context["suppleants"] == [suppleant]
    assert reponse.context["anciens"] == [ancien]
    html = reponse.content.decode()
    for membre in binome.membres.filter(actif=True):
        assert f'href="mailto:{membre.user.email}"' in html
    assert "Ancien chargé de mission" in html
    assert f"mailto:{ancien.user.email}" not in html
    assert reponse.context["attestation"] is None
    assert "Télécharger l&#x27;attestation" not in html


def test_page_binome_lien_vers_l_attestation_de_la_collectivite(client_elu, binome, cycle):
    attestation = Attestation.objects.create(
        cycle=cycle,
        type="collectivite",
        binome=binome,
        code="ABCD-EFGH-JKLM",
        titulaire=str(binome),
        collectivite=str(binome),
        seances_presentes=5,
        seances_total=6,
        seances_min=5,
    )

    html = client_elu.get(reverse("seances:binome", args=[binome.pk])).content.decode()

    assert reverse("seances:attestation_pdf", args=[attestation.pk]) in html
