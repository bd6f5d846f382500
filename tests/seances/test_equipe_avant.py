"""Staff pages before a session: the board, the confirmations and the caterer's figures, the
questions for the speaker and their PDF, the needs survey."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.courriels.models import Courriel
from seances import selectors, services
from seances.models import Confirmation, Question
from seances.views.avant import contexte_questions_pdf
from tests.factories import (
    CycleFactory,
    IntervenantFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db


def _binome(cycle, nom, *, suppleants=()):
    binome = binome_complet(cycle, suppleants=suppleants)
    territoire = binome.candidature.territoire
    territoire.nom = nom
    territoire.save(update_fields=["nom"])
    return binome


def _membre(binome, role, *, suppleant=False):
    return binome.membres.get(role=role, suppleant=suppleant, actif=True)


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours")


@pytest.fixture
def seance(cycle):
    return SeanceFactory(
        cycle=cycle,
        numero=2,
        date=timezone.localdate() + datetime.timedelta(days=20),
        theme="Mobiliser les publics éloignés",
        couverts_supplementaires=3,
    )


@pytest.fixture
def arras(cycle):
    return _binome(cycle, "Arras", suppleants=("elu",))


@pytest.fixture
def bethune(cycle):
    return _binome(cycle, "Béthune")


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


def _url(nom, cycle, *args):
    return reverse(f"equipe_seances:{nom}", args=[cycle.slug, *args])


def _messages(reponse):
    return [str(message) for message in reponse.context["messages"]]


def _venir(seance, membre, **kwargs):
    kwargs.setdefault("matin", True)
    kwargs.setdefault("apres_midi", True)
    return services.confirmation_enregistrer(seance, membre, reponse="present", **kwargs)


# --- access ---------------------------------------------------------------------------------

PAGES_SEANCE = ["seance", "questions", "questions_pdf"]
PAGES_CYCLE = ["tableau", "besoins"]


def _toutes_les_urls(cycle, seance):
    return [_url(nom, cycle) for nom in PAGES_CYCLE] + [
        _url(nom, cycle, seance.numero) for nom in PAGES_SEANCE
    ]


def test_pages_anonyme_renvoye_a_la_connexion(client, cycle, seance):
    for url in _toutes_les_urls(cycle, seance):
        reponse = client.get(url)

        assert reponse.status_code == 302, url
        assert reponse["Location"].startswith(reverse("account_login")), url


def test_pages_participant_404(client, cycle, seance, arras):
    client.force_login(_membre(arras, "elu").user)

    for url in _toutes_les_urls(cycle, seance):
        assert client.get(url).status_code == 404, url
    reponse = client.post(
        _url("questions", cycle, seance.numero), {"action": "grouper", "question": "1"}
    )
    assert reponse.status_code == 404


@pytest.mark.parametrize("nom", PAGES_SEANCE)
def test_pages_seance_numero_inconnu_ou_autre_cycle_404(client_equipe, cycle, seance, nom):
    autre = SeanceFactory(numero=7)

    assert client_equipe.get(_url(nom, cycle, 99)).status_code == 404
    assert client_equipe.get(_url(nom, cycle, autre.numero)).status_code == 404


def test_pages_cycle_inconnu_404(client_equipe):
    assert client_equipe.get(reverse("equipe_seances:tableau", args=["inconnu"])).status_code == 404
    assert client_equipe.get(reverse("equipe_seances:besoins", args=["inconnu"])).status_code == 404


# --- the board ------------------------------------------------------------------------------


def test_tableau_seances_chiffres_et_note_de_contexte(client_equipe, cycle, seance, arras, bethune):
    passee = SeanceFactory(
        cycle=cycle, numero=1, date=timezone.localdate() - datetime.timedelta(days=30)
    )
    IntervenantFactory(seance=seance, nom="Marion Ben Ali")
    for role in ("elu", "technicien"):
        _venir(seance, _membre(arras, role), dejeuner=True)
    _venir(seance, _membre(bethune, "elu"))
    Courriel.objects.create(
        cle=f"note-contexte:seance={passee.pk}:personne=1", sujet="Note", texte="…"
    )

    reponse = client_equipe.get(_url("tableau", cycle))

    lignes = reponse.context["lignes"]
    assert [ligne.seance for ligne in lignes] == [passee, seance]
    assert [(ligne.a_venir, ligne.binomes_complets, ligne.binomes) for ligne in lignes] == [
        (False, 0, 0),
        (True, 1, 2),
    ]
    assert lignes[1].repas == 2 + 3  # two lunches and the extra covers
    assert [ligne.note.nombre for ligne in lignes] == [1, 0]
    assert lignes[1].note_prevue_le == seance.date - datetime.timedelta(days=14)
    html = reponse.content.decode()
    assert "Marion Ben Ali" in html
    assert "1 / 2" in html
    assert "14 jours avant" in html
    assert "au moins 5 séances suivies (2 planifiées)" in html
    assert reverse("equipe_seances:seance", args=[cycle.slug, seance.numero]) in html
    assert reverse("admin:seances_seance_add") + f"?cycle={cycle.pk}" in html


def test_tableau_cycle_pas_en_cours_previent_que_rien_ne_part(client_equipe, seance):
    seance.cycle.statut = "selection"
    seance.cycle.save(update_fields=["statut"])

    html = client_equipe.get(_url("tableau", seance.cycle)).content.decode()

    assert "ne partent pas automatiquement" in html


def test_notes_contexte_envoyees_compte_par_seance(cycle, seance):
    autre = SeanceFactory(cycle=cycle, numero=3)
    for personne in (1, 2):
        Courriel.objects.create(
            cle=f"note-contexte:seance={seance.pk}:personne={personne}", sujet="N", texte="…"
        )
    Courriel.objects.create(cle=f"rappel-confirmation:seance={autre.pk}:binome=1", sujet="R")

    envois = selectors.notes_contexte_envoyees([seance, autre])

    assert (envois[seance.pk].nombre, envois[autre.pk].nombre) == (2, 0)
    assert envois[seance.pk].premier is not None
    assert envois[autre.pk].premier is None


@pytest.mark.parametrize("nombre", [1, 3])
def test_tableau_nombre_de_requetes_fixe_quel_que_soit_le_nombre_de_binomes(
    client_equipe, django_assert_num_queries, cycle, seance, nombre
):
    for i in range(nombre):
        _binome(cycle, f"Commune {i}")

    with django_assert_num_queries(15):
        client_equipe.get(_url("tableau", cycle))


# --- confirmations and caterer ----------------------------------------------------------------


def test_confirmations_binome_incomplet_en_tete_et_filtre(
    client_equipe, cycle, seance, arras, bethune
):
    for role in ("elu", "technicien"):
        _venir(seance, _membre(arras, role))
    _venir(seance, _membre(bethune, "elu"), matin=True, apres_midi=False)

    reponse = client_equipe.get(_url("seance", cycle, seance.numero))

    assert [ligne.binome for ligne in reponse.context["lignes"]] == [bethune, arras]
    assert reponse.context["nombre_incomplets"] == 1
    [elu, technicien] = reponse.context["lignes"][0].etats
    assert (elu.libelle, technicien.libelle) == ("confirmé", "pas de réponse")
    html = reponse.content.decode()
    assert "1 binôme sur 2 n'est pas confirmé complet." in html
    assert "incomplet" in html
    filtre = client_equipe.get(_url("seance", cycle, seance.numero) + "?incomplets=1")
    assert [ligne.binome for ligne in filtre.context["lignes"]] == [bethune]


def test_confirmations_etat_des_sieges_suppleant_et_excuse(
    client_equipe, cycle, seance, arras, bethune
):
    suppleante = _membre(arras, "elu", suppleant=True)
    services.confirmation_enregistrer(
        seance, _membre(arras, "elu"), reponse="remplace", remplacant=suppleante
    )
    _venir(seance, _membre(arras, "technicien"))
    services.confirmation_enregistrer(seance, _membre(bethune, "technicien"), reponse="excuse")

    reponse = client_equipe.get(_url("seance", cycle, seance.numero))

    etats = {
        ligne.binome: [etat.libelle for etat in ligne.etats] for ligne in reponse.context["lignes"]
    }
    assert etats == {
        arras: ["par suppléant·e", "confirmé"],
        bethune: ["pas de réponse", "excusé·e"],
    }
    assert f"Remplacé·e par {suppleante.user.nom_affiche}" in reponse.content.decode()


def test_resume_traiteur_regimes_couverts_et_excuses_non_comptes(
    client_equipe, cycle, seance, arras, bethune
):
    _venir(
        seance,
        _membre(arras, "elu"),
        dejeuner=True,
        regimes=["vegetarien", "sans_gluten"],
        precisions_repas="Allergie aux noix",
    )
    _venir(seance, _membre(arras, "technicien"), dejeuner=True, regimes=["vegetarien"])
    _venir(seance, _membre(bethune, "elu"), apres_midi=False)  # no lunch
    # Said they would lunch, then excused themselves: not counted.
    Confirmation.objects.create(
        seance=seance,
        membre=_membre(bethune, "technicien"),
        reponse="excuse",
        dejeuner=True,
        regimes=["sans_porc"],
    )

    reponse = client_equipe.get(_url("seance", cycle, seance.numero))

    resume = reponse.context["resume"]
    assert (resume.repas, resume.couverts_supplementaires, resume.total) == (2, 3, 5)
    assert resume.regimes == [("Végétarien", 2), ("Sans gluten", 1)]
    assert resume.precisions == ["Allergie aux noix"]
    assert (resume.matin, resume.apres_midi) == (3, 2)
    html = reponse.content.decode()
    assert "Végétarien : 2" in html
    assert "Sans porc" not in html


@pytest.mark.parametrize("nombre", [1, 3])
def test_confirmations_nombre_de_requetes_fixe(
    client_equipe, django_assert_num_queries, cycle, seance, nombre
):
    for i in range(nombre):
        binome = _binome(cycle, f"Commune {i}")
        _venir(seance, _membre(binome, "elu"), dejeuner=True)

    with django_assert_num_queries(10):
        client_equipe.get(_url("seance", cycle, seance.numero))


# --- questions --------------------------------------------------------------------------------


@pytest.fixture
def questions(seance, arras, bethune):
    return [
        services.question_poser(seance, _membre(arras, "elu"), "Comment toucher les jeunes ?"),
        services.question_poser(
            seance, _membre(bethune, "elu"), "Comment mobiliser les 15-25 ans ?"
        ),
        services.question_poser(seance, _membre(bethune, "technicien"), "Quel budget prévoir ?"),
    ]


def _poster(client, seance, **donnees):
    return client.post(_url("questions", seance.cycle, seance.numero), donnees, follow=True)


def test_questions_page_groupes_et_collectivites(client_equipe, seance, questions):
    reponse = client_equipe.get(_url("questions", seance.cycle, seance.numero))

    [groupe] = reponse.context["groupes"]
    assert groupe.questions == questions
    html = reponse.content.decode()
    assert "Comment toucher les jeunes ?" in html
    assert "Béthune" in html
    assert "3 questions reçues, 3 après fusion des doublons." in html


def test_questions_fusionner(client_equipe, seance, questions):
    principale, doublon, autre = questions

    reponse = _poster(
        client_equipe,
        seance,
        action="fusionner",
        principale=principale.pk,
        questions=[principale.pk, doublon.pk],
    )

    doublon.refresh_from_db()
    autre.refresh_from_db()
    assert (doublon.doublon_de, autre.doublon_de) == (principale, None)
    assert _messages(reponse) == ["1 question fusionnée dans « Comment toucher les jeunes ? »."]
    [groupe] = reponse.context["groupes"]
    assert [(q, q.nombre) for q in groupe.questions] == [(principale, 2), (autre, 1)]
    assert "posée par 2 personnes" in reponse.content.decode()


def test_questions_fusionner_question_d_une_autre_seance_refuse(
    client_equipe, cycle, seance, questions, arras
):
    autre_seance = SeanceFactory(cycle=cycle, numero=5)
    etrangere = services.question_poser(autre_seance, _membre(arras, "elu"), "Et ailleurs ?")

    reponse = _poster(
        client_equipe,
        seance,
        action="fusionner",
        principale=questions[0].pk,
        questions=[questions[1].pk, etrangere.pk],
    )

    assert _messages(reponse) == ["Les questions à fusionner doivent être de la même séance."]
    assert not Question.objects.filter(doublon_de__isnull=False).exists()


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"questions": ["q1"]}, "Choisissez la question principale, celle qui restera."),
        (
            {"principale": "q0", "questions": ["q0"]},
            "Cochez au moins une autre question à fusionner dans la question principale.",
        ),
        (
            {"principale": "q1", "questions": ["q2"]},
            "Choisissez comme question principale une question non fusionnée.",
        ),
    ],
)
def test_questions_fusionner_choix_incomplet_refuse(
    client_equipe, seance, questions, donnees, message
):
    questions[1].doublon_de = questions[0]
    questions[1].save()

    def pk(valeur):
        return questions[int(valeur[1])].pk

    donnees = {
        cle: [pk(v) for v in valeur] if isinstance(valeur, list) else pk(valeur)
        for cle, valeur in donnees.items()
    }
    reponse = _poster(client_equipe, seance, action="fusionner", **donnees)

    assert _messages(reponse) == [message]
    assert list(Question.objects.filter(doublon_de__isnull=False)) == [questions[1]]


def test_questions_separer(client_equipe, seance, questions):
    principale, doublon, _autre = questions
    services.questions_fusionner(principale, [doublon])

    reponse = _poster(client_equipe, seance, action="separer", question=doublon.pk)

    doublon.refresh_from_db()
    assert doublon.doublon_de is None
    assert _messages(reponse) == [
        "La question « Comment mobiliser les 15-25 ans ? » est de nouveau séparée."
    ]


def test_questions_separer_question_non_fusionnee_refuse(client_equipe, seance, questions):
    reponse = _poster(client_equipe, seance, action="separer", question=questions[0].pk)

    assert _messages(reponse) == ["Cette question n'est fusionnée dans aucune autre."]


def test_questions_grouper_avec_ses_doublons(client_equipe, seance, questions):
    principale, doublon, autre = questions
    services.questions_fusionner(principale, [doublon])

    reponse = _poster(
        client_equipe, seance, action="grouper", question=principale.pk, groupe="  Les jeunes "
    )

    assert dict(Question.objects.values_list("pk", "groupe")) == {
        principale.pk: "Les jeunes",
        doublon.pk: "Les jeunes",
        autre.pk: "",
    }
    assert _messages(reponse) == [
        "La question « Comment toucher les jeunes ? » est classée dans « Les jeunes »."
    ]
    assert [g.groupe for g in reponse.context["groupes"]] == ["Les jeunes", ""]
    assert '<option value="Les jeunes">' in reponse.content.decode()


def test_questions_grouper_question_d_une_autre_seance_refuse(
    client_equipe, cycle, seance, questions, arras
):
    autre_seance = SeanceFactory(cycle=cycle, numero=5)
    etrangere = services.question_poser(autre_seance, _membre(arras, "elu"), "Et ailleurs ?")

    reponse = _poster(client_equipe, seance, action="grouper", question=etrangere.pk, groupe="X")

    etrangere.refresh_from_db()
    assert etrangere.groupe == ""
    assert _messages(reponse) == ["Cette question n'existe pas ou a été fusionnée dans une autre."]


def test_questions_action_inconnue(client_equipe, seance, questions):
    reponse = _poster(client_equipe, seance, action="supprimer", question=questions[0].pk)

    assert _messages(reponse) == ["Action inconnue : rechargez la page et recommencez."]
    assert Question.objects.count() == 3


def test_questions_pdf_contexte_groupes_sans_noms(seance, questions, arras, bethune):
    principale, doublon, _autre = questions
    services.questions_fusionner(principale, [doublon])
    services.question_grouper(principale, "Les jeunes")
    IntervenantFactory(seance=seance, nom="Marion Ben Ali")

    contexte = contexte_questions_pdf(seance)

    assert contexte["intervenants"] == ["Marion Ben Ali"]
    assert contexte["groupes"] == [
        {
            "titre": "Les jeunes",
            "questions": [
                {
                    "texte": "Comment toucher les jeunes ?",
                    "nombre": 2,
                    "collectivites": ["Arras", "Béthune"],
                }
            ],
        },
        {
            "titre": "Autres questions",
            "questions": [
                {"texte": "Quel budget prévoir ?", "nombre": 1, "collectivites": ["Béthune"]}
            ],
        },
    ]


def test_questions_pdf_un_seul_groupe_sans_titre(seance, questions):
    contexte = contexte_questions_pdf(seance)

    assert [groupe["titre"] for groupe in contexte["groupes"]] == [""]
    assert len(contexte["groupes"][0]["questions"]) == 3


def test_questions_pdf_telecharge(client_equipe, seance, questions):
    reponse = client_equipe.get(_url("questions_pdf", seance.cycle, seance.numero))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    assert (
        f'filename="questions-seance-2-{seance.cycle.slug}.pdf"' in reponse["Content-Disposition"]
    )


def test_questions_pdf_le_gabarit_ne_montre_pas_les_personnes(seance, questions):
    from django.template.loader import render_to_string

    html = render_to_string("seances/pdf/questions.html", contexte_questions_pdf(seance))

    assert "Quel budget prévoir ?" in html
    for question in questions:
        assert question.auteur.user.last_name not in html


# --- needs survey -----------------------------------------------------------------------------


def test_besoins_chiffres_themes_et_reponses(client_equipe, cycle, arras, bethune):
    services.besoins_enregistrer(
        _membre(arras, "elu"),
        themes=["mobiliser", "methodes"],
        attentes="Des retours d'expérience concrets.",
    )
    services.besoins_enregistrer(
        _membre(bethune, "technicien"),
        themes=["mobiliser"],
        difficultes="Peu de temps en interne.",
    )
    # Another cycle's answers are not counted.
    services.besoins_enregistrer(_membre(_binome(CycleFactory(), "Lens"), "elu"), themes=["budget"])

    reponse = client_equipe.get(_url("besoins", cycle))

    synthese = reponse.context["synthese"]
    assert (synthese.repondants, synthese.membres) == (2, 5)
    assert synthese.themes == [
        ("Mobiliser les habitant·es éloigné·es de la participation", 2),
        ("Choisir des méthodes et outils d'animation", 1),
    ]
    libres = {champ: reponses for champ, _libelle, reponses in reponse.context["reponses_libres"]}
    assert [(str(m.binome), texte) for m, texte in libres["attentes"]] == [
        ("Arras", "Des retours d'expérience concrets.")
    ]
    assert libres["projet"] == []
    assert [(str(m.binome), m.role) for m, _t in libres["difficultes"]] == [
        ("Béthune", "technicien")
    ]
    html = reponse.content.decode()
    assert "2 / 5 personnes" in html
    assert '<progress class="w-100 d-block" value="2" max="2"' in html
    assert "Budget participatif" not in html


def test_besoins_sans_reponse(client_equipe, cycle, arras):
    html = client_equipe.get(_url("besoins", cycle)).content.decode()

    assert "0 / 3 personnes" in html
    assert "Personne n'a encore répondu au questionnaire." in html


def test_pages_jure_404(client, cycle, seance):
    jure = UserFactory()
    role_attribuer(jure, Role.JURE)
    client.force_login(jure)

    assert client.get(_url("tableau", cycle)).status_code == 404
