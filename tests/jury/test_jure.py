"""The juror's space (/jury/): lists and progress, ties, scoring, independence, access."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidatures.models import VersionCandidature
from candidatures.services import instantane
from cerdd_cycle.formats import date_en_toutes_lettres
from cerdd_cycle.territoires.models import TypeTerritoire
from jury import services
from jury.models import Affectation, Lien, NoteJury
from tests.factories import (
    AffectationFactory,
    CandidatureDeposeeFactory,
    CandidatureFactory,
    CycleFactory,
    DepartementFactory,
    JureFactory,
    LienFactory,
    PieceJointeFactory,
    TerritoireFactory,
    UserFactory,
    noter,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def criteres_par_ordre(cycle):
    return {critere.ordre: critere for critere in cycle.criteres.all()}


def url_evaluation(affectation, nom="jury:evaluation", **extra):
    return reverse(
        nom,
        kwargs={
            "cycle": affectation.jure.cycle.slug,
            "candidature_pk": affectation.candidature_id,
            **extra,
        },
    )


def url_note(affectation, critere):
    return url_evaluation(affectation, "jury:note", critere_pk=critere.pk)


def messages_de(reponse):
    return [str(message) for message in get_messages(reponse.wsgi_request)]


@pytest.fixture
def affectation(cycle_jury, jure, jury):
    candidature = CandidatureDeposeeFactory(
        cycle=cycle_jury, motivations="Nous voulons ouvrir le budget aux quartiers."
    )
    return AffectationFactory(jure=jure, candidature=candidature)


@pytest.fixture
def client_jure(client, jure):
    client.force_login(jure.user)
    return client


# --- list and progress ------------------------------------------------------------------------


def test_accueil_liste_les_candidatures_avec_avancement(client_jure, jure, jury):
    jury.date_limite = timezone.now() + datetime.timedelta(days=10)
    jury.save(update_fields=["date_limite"])
    soumise = AffectationFactory(
        jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle, territoire__nom="Arras")
    )
    noter(soumise, {2: 3, 3: 4})
    en_cours = AffectationFactory(
        jure=jure,
        candidature=CandidatureDeposeeFactory(cycle=jure.cycle, territoire__nom="Béthune"),
    )
    services.commentaire_enregistrer(en_cours, "Premières impressions", par=jure.user)
    AffectationFactory(
        jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle, territoire__nom="Calais")
    )

    reponse = client_jure.get(reverse("jury:accueil"))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "1 / 3 notées" in html
    assert date_en_toutes_lettres(jury.date_limite) in html
    lignes = [ligne["nom"] for ligne in _lignes(reponse)]
    assert lignes == ["Béthune", "Calais", "Arras"]
    etats = {x["nom"]: x["etat"] for x in _lignes(reponse)}
    assert etats == {"Arras": "soumise", "Béthune": "en_cours", "Calais": "a_noter"}
    assert "soumise le " + date_en_toutes_lettres(soumise.soumise_le, jour_semaine=False) in html
    assert "en cours" in html
    assert "à noter" in html
    assert url_evaluation(soumise) in html
    assert "Consulter<span" in html and "Reprendre<span" in html and "Noter<span" in html


def test_accueil_colonnes_de_la_liste(client_jure, jure):
    departement = DepartementFactory(code="62", nom="Pas-de-Calais")
    commune = AffectationFactory(
        jure=jure,
        candidature=CandidatureDeposeeFactory(
            cycle=jure.cycle,
            territoire__nom="Arras",
            territoire__type=TypeTerritoire.COMMUNE,
            territoire__departement=departement,
            departement=None,
        ),
    )
    parc = AffectationFactory(
        jure=jure,
        candidature=CandidatureDeposeeFactory(
            cycle=jure.cycle,
            territoire=None,
            structure_nom="Parc naturel des Caps",
            structure_siren="200000001",
            departement=departement,
        ),
    )

    reponse = client_jure.get(reverse("jury:accueil"))

    lignes = {ligne["nom"]: ligne for ligne in _lignes(reponse)}
    assert lignes["Arras"]["departement"] == "Pas-de-Calais (62)"
    assert lignes["Arras"]["type"] == "Commune"
    assert lignes["Parc naturel des Caps"]["departement"] == "Pas-de-Calais (62)"
    assert lignes["Parc naturel des Caps"]["type"] == "Structure hors liste"
    # Each row's link is the URL the resolver gives (the view builds them without reverse()).
    assert lignes["Arras"]["url"] == url_evaluation(commune)
    assert lignes["Parc naturel des Caps"]["url"] == url_evaluation(parc)


def test_accueil_dates_de_soumission_a_la_minute(client_jure, jure):
    """Two evaluations submitted the same day keep their own hour (the page writes each day
    and each minute once)."""
    matin, soir = (
        AffectationFactory(jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle))
        for _ in range(2)
    )
    jour = timezone.localtime().replace(hour=9, minute=5, second=12)
    Affectation.objects.filter(pk=matin.pk).update(soumise_le=jour)
    Affectation.objects.filter(pk=soir.pk).update(soumise_le=jour.replace(hour=18, minute=47))

    html = client_jure.get(reverse("jury:accueil")).content.decode()

    for quand in (jour, jour.replace(hour=18, minute=47)):
        assert "soumise le " + date_en_toutes_lettres(quand, jour_semaine=False) in html


def _lignes(reponse):
    (siege,) = reponse.context["sieges"]
    return siege.lignes


@pytest.mark.parametrize("nombre", [1, 3])
def test_accueil_nombre_de_requetes_constant(
    client_jure, jure, jury, nombre, django_assert_num_queries
):
    for _ in range(nombre):
        AffectationFactory(jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle))

    # session, user, roles, seats (with the jury), assignments
    with django_assert_num_queries(5):
        reponse = client_jure.get(reverse("jury:accueil"))

    assert len(_lignes(reponse)) == nombre


@pytest.mark.parametrize("nombre", [1, 3])
def test_accueil_avec_un_cycle_clos_nombre_de_requetes_constant(
    client_jure, jure, jury, nombre, django_assert_num_queries
):
    ancien = JureFactory(user=jure.user, cycle=CycleFactory(resultats_publies_le=timezone.now()))
    for _ in range(nombre):
        AffectationFactory(jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle))
        AffectationFactory(jure=ancien, candidature=CandidatureDeposeeFactory(cycle=ancien.cycle))

    # session, user, roles, seats (with the jury), open lists, counts of the closed seats
    with django_assert_num_queries(6):
        reponse = client_jure.get(reverse("jury:accueil"))

    totaux = {siege.jure.pk: (siege.clos, siege.total) for siege in reponse.context["sieges"]}
    assert totaux == {jure.pk: (False, nombre), ancien.pk: (True, nombre)}


def test_accueil_cycle_aux_resultats_publies_resume(client_jure, jure, jury):
    ancien = JureFactory(
        user=jure.user, cycle=CycleFactory(titre="Cycle 2024", resultats_publies_le=timezone.now())
    )
    soumise = AffectationFactory(
        jure=ancien,
        candidature=CandidatureDeposeeFactory(cycle=ancien.cycle, territoire__nom="Lens"),
        soumise_le=timezone.now(),
    )
    AffectationFactory(
        jure=ancien,
        candidature=CandidatureDeposeeFactory(cycle=ancien.cycle, territoire__nom="Liévin"),
    )
    AffectationFactory(
        jure=jure, candidature=CandidatureDeposeeFactory(cycle=jure.cycle, territoire__nom="Douai")
    )

    reponse = client_jure.get(reverse("jury:accueil"))

    # The cycle being scored first, with its whole list; the closed one after, summed up.
    assert [siege.clos for siege in reponse.context["sieges"]] == [False, True]
    html = reponse.content.decode()
    assert "Douai" in html
    assert "Cycle 2024" in html
    assert "1 / 2 notées" in html
    publies = timezone.localtime(ancien.cycle.resultats_publies_le).date()
    assert "publiés le " + date_en_toutes_lettres(publies, jour_semaine=False) in html
    assert "Lens" not in html and url_evaluation(soumise) not in html
    lien = reverse("jury:candidatures", args=[ancien.cycle.slug])
    assert f'href="{lien}"' in html
    assert "Revoir les 2 candidatures que vous avez notées" in html

    liste = client_jure.get(lien)

    assert liste.status_code == 200
    page = liste.content.decode()
    assert "Lens" in page and "Liévin" in page and "Douai" not in page
    assert url_evaluation(soumise) in page
    assert "1 / 2 notées" in page


def test_liste_d_un_cycle_d_un_autre_jure_404(client_jure, jure):
    autre = JureFactory()
    AffectationFactory(jure=autre, candidature=CandidatureDeposeeFactory(cycle=autre.cycle))

    reponse = client_jure.get(reverse("jury:candidatures", args=[autre.cycle.slug]))

    assert reponse.status_code == 404


def test_liste_d_un_siege_inactif_404(client_jure, jure):
    jure.actif = False
    jure.save(update_fields=["actif"])

    reponse = client_jure.get(reverse("jury:candidatures", args=[jure.cycle.slug]))

    assert reponse.status_code == 404


def test_liste_avant_les_liens_renvoie_vers_les_liens(client, cycle_jury, jury):
    jure = JureFactory(cycle=cycle_jury, liens_declares_le=None)
    AffectationFactory(
        jure=jure, candidature=CandidatureDeposeeFactory(cycle=cycle_jury, territoire__nom="Douai")
    )
    client.force_login(jure.user)

    reponse = client.get(reverse("jury:candidatures", args=[cycle_jury.slug]))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("jury:liens", args=[cycle_jury.slug])


def test_liste_anonyme_renvoyee_vers_la_connexion(client, cycle_jury):
    url = reverse("jury:candidatures", args=[cycle_jury.slug])

    reponse = client.get(url)

    assert reponse["Location"] == f"{reverse('account_login')}?next={url}"


def test_accueil_sans_siege_dit_qu_il_n_y_a_pas_de_jury(client, utilisateur):
    client.force_login(utilisateur)

    reponse = client.get(reverse("jury:accueil"))

    assert reponse.status_code == 200
    assert reponse.context["sieges"] == []
    assert "Vous ne faites partie d'aucun jury pour le moment." in reponse.content.decode()


def test_accueil_liens_a_declarer_avant_la_liste(client, cycle_jury, jury):
    jure = JureFactory(cycle=cycle_jury, liens_declares_le=None)
    affectation = AffectationFactory(
        jure=jure, candidature=CandidatureDeposeeFactory(cycle=cycle_jury, territoire__nom="Douai")
    )
    client.force_login(jure.user)

    reponse = client.get(reverse("jury:accueil"))

    html = reponse.content.decode()
    assert "Première étape : déclarez vos liens" in html
    assert reverse("jury:liens", args=[cycle_jury.slug]) in html
    assert "Douai" not in html
    assert url_evaluation(affectation) not in html


def test_accueil_juré_inactif_ne_voit_plus_le_jury(client, affectation):
    affectation.jure.actif = False
    affectation.jure.save(update_fields=["actif"])
    client.force_login(affectation.jure.user)

    reponse = client.get(reverse("jury:accueil"))

    assert reponse.context["sieges"] == []


# --- ties -----------------------------------------------------------------------------------


def url_liens(cycle):
    return reverse("jury:liens", args=[cycle.slug])


def test_liens_formulaire_liste_les_candidatures_deposees(client_jure, cycle_jury, autre_cycle):
    deposee = CandidatureDeposeeFactory(cycle=cycle_jury, territoire__nom="Lens")
    CandidatureFactory(cycle=cycle_jury, territoire__nom="Brouillonville")
    CandidatureDeposeeFactory(cycle=autre_cycle, territoire__nom="Ailleurs")

    reponse = client_jure.get(url_liens(cycle_jury))

    assert reponse.status_code == 200
    lignes = [(x.siren, x.nom, x.detail, x.coche) for x in reponse.context["form"].lignes]
    assert lignes == [
        (deposee.territoire.siren, "Lens", str(deposee.departement), False),
    ]
    assert "J'ai un lien avec Lens" in reponse.content.decode()


def test_liens_aucun_lien_confirme(client, cycle_jury):
    jure = JureFactory(cycle=cycle_jury, liens_declares_le=None)
    CandidatureDeposeeFactory(cycle=cycle_jury)
    client.force_login(jure.user)

    reponse = client.post(url_liens(cycle_jury), {"aucun_lien": "on"})

    assert reponse.status_code == 302
    assert reponse.url == reverse("jury:accueil")
    jure.refresh_from_db()
    assert jure.liens_declares_le is not None
    assert list(jure.liens.all()) == []
    assert messages_de(reponse) == ["Votre déclaration est enregistrée : aucun lien."]


def test_liens_rien_coche_sans_confirmation_refuse(client, cycle_jury):
    jure = JureFactory(cycle=cycle_jury, liens_declares_le=None)
    CandidatureDeposeeFactory(cycle=cycle_jury)
    client.force_login(jure.user)

    reponse = client.post(url_liens(cycle_jury), {})

    assert reponse.status_code == 422
    assert (
        "Cochez les collectivités avec lesquelles vous avez un lien, ou confirmez que vous "
        "n&#x27;en avez aucun." in reponse.content.decode()
    )
    jure.refresh_from_db()
    assert jure.liens_declares_le is None


def test_liens_declares_candidature_structure_et_recherche(client_jure, jure, cycle_jury):
    commune = CandidatureDeposeeFactory(cycle=cycle_jury, territoire__nom="Liévin")
    parc = CandidatureDeposeeFactory(
        cycle=cycle_jury,
        territoire=None,
        departement=commune.departement,
        structure_nom="Parc naturel régional",
        structure_siren="251234567",
    )
    autre = TerritoireFactory(nom="Avion")

    reponse = client_jure.post(
        url_liens(cycle_jury),
        {
            "lien": [commune.territoire.siren, parc.structure_siren, autre.siren],
            f"nature-{commune.territoire.siren}": "partenaire",
            f"nature-{parc.structure_siren}": "membre",
            f"nature-{autre.siren}": "membre",
        },
    )

    assert reponse.status_code == 302
    liens = sorted(
        (lien.siren, lien.nom, lien.territoire_id, lien.nature) for lien in jure.liens.all()
    )
    assert liens == sorted(
        [
            (commune.territoire.siren, "Liévin", commune.territoire_id, "partenaire"),
            ("251234567", "Parc naturel régional", None, "membre"),
            (autre.siren, "Avion", autre.pk, "membre"),
        ]
    )
    assert messages_de(reponse) == ["Votre déclaration est enregistrée : 3 liens."]


def test_liens_revisite_preremplie(client_jure, jure, cycle_jury):
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury, territoire__nom="Hénin")
    LienFactory(
        jure=jure,
        territoire=candidature.territoire,
        nature="partenaire",
    )
    hors_candidatures = LienFactory(jure=jure, territoire__nom="Carvin")

    reponse = client_jure.get(url_liens(cycle_jury))

    form = reponse.context["form"]
    assert [(x.nom, x.coche, x.nature) for x in form.lignes] == [
        ("Hénin", True, "partenaire"),
        ("Carvin", True, "membre"),
    ]
    html = reponse.content.decode()
    siren = candidature.territoire.siren
    assert f'value="{siren}" id="lien-{siren}" checked' in html
    assert f'id="lien-{hors_candidatures.siren}" checked' in html
    assert '<option value="partenaire" selected>' in html
    assert "Votre dernière déclaration date du" in html


def test_liens_conflit_retire_l_affectation(client_jure, jure, cycle_jury):
    epci = TerritoireFactory(type=TypeTerritoire.CC, nom="CC des Deux Rives")
    commune = TerritoireFactory(nom="Rivière", epci=epci)
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury, territoire=commune)
    gardee = AffectationFactory(jure=jure, candidature=CandidatureDeposeeFactory(cycle=cycle_jury))
    retiree = AffectationFactory(jure=jure, candidature=candidature)

    reponse = client_jure.post(
        url_liens(cycle_jury),
        {"lien": [epci.siren], f"nature-{epci.siren}": "membre"},
        follow=True,
    )

    assert not Affectation.objects.filter(pk=retiree.pk).exists()
    assert list(jure.affectations.all()) == [gardee]
    html = reponse.content.decode()
    assert "1 candidature vous a été retirée pour conflit d&#x27;intérêts : Rivière." in html


def test_liens_siren_inconnu_refuse(client_jure, jure, cycle_jury):
    reponse = client_jure.post(url_liens(cycle_jury), {"lien": ["999999999"]})

    assert reponse.status_code == 422
    assert "ne figure pas dans la liste officielle : 999999999" in reponse.content.decode()
    assert list(jure.liens.all()) == []


def test_liens_recherche_sans_javascript_n_enregistre_rien(client_jure, jure, cycle_jury):
    trouve = TerritoireFactory(nom="Wimereux")
    jure.liens_declares_le = None
    jure.save(update_fields=["liens_declares_le"])

    reponse = client_jure.post(url_liens(cycle_jury), {"q": "wimer", "chercher": "1"})

    assert reponse.status_code == 200
    assert [(x.siren, x.coche) for x in reponse.context["form"].autres_lignes] == [
        (trouve.siren, False)
    ]
    assert "J'ai un lien avec Wimereux" in reponse.content.decode()
    jure.refresh_from_db()
    assert jure.liens_declares_le is None


def test_liens_sans_siege_404(client, utilisateur, cycle_jury):
    client.force_login(utilisateur)

    assert client.get(url_liens(cycle_jury)).status_code == 404


# --- the evaluation page ----------------------------------------------------------------------


def test_evaluation_montre_les_reponses_la_grille_et_les_pieces(client_jure, affectation):
    piece = PieceJointeFactory(candidature=affectation.candidature, nom_original="lettre.pdf")

    reponse = client_jure.get(url_evaluation(affectation))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert 'id="section-motivations"' in html
    assert "Nous voulons ouvrir le budget aux quartiers." in html
    assert url_evaluation(affectation, "jury:piece", piece_pk=piece.pk) in html
    criteres = criteres_par_ordre(affectation.jure.cycle)
    grille = reponse.context["grille"]
    assert [ligne.critere for ligne in grille] == [criteres[o] for o in (1, 2, 3, 4)]
    assert [cle for cle, _titre in grille[1].preuves] == ["motivations", "besoins"]
    assert '<a href="#section-motivations">Motivations</a>' in html
    niveau = criteres[2].niveaux.get(valeur=4)
    assert escape(niveau.description) in html
    assert f'name="porte-{criteres[1].pk}" value="a_verifier"' in html
    assert url_note(affectation, criteres[2]) in html


def test_evaluation_montre_la_version_deposee(client_jure, affectation):
    candidature = affectation.candidature
    donnees = instantane(candidature) | {"motivations": "Texte de la version déposée."}
    VersionCandidature.objects.create(
        candidature=candidature, numero=1, donnees=donnees, deposee_le=timezone.now()
    )
    candidature.motivations = "Texte modifié depuis, pas encore redéposé."
    candidature.save(update_fields=["motivations"])

    reponse = client_jure.get(url_evaluation(affectation))

    html = reponse.content.decode()
    assert "Texte de la version déposée." in html
    assert "pas encore redéposé" not in html


def test_evaluation_liens_non_declares_renvoie_vers_la_declaration(client_jure, affectation):
    affectation.jure.liens_declares_le = None
    affectation.jure.save(update_fields=["liens_declares_le"])

    reponse = client_jure.get(url_evaluation(affectation))

    assert reponse.status_code == 302
    assert reponse.url == url_liens(affectation.jure.cycle)


# --- autosave -------------------------------------------------------------------------------


def test_note_niveau_enregistre(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[3]

    reponse = client_jure.post(url_note(affectation, critere), {"valeur": "3"}, **HTMX)

    assert reponse.status_code == 200
    assert "Enregistré à" in reponse.content.decode()
    assert reponse["X-Revision"]
    note = NoteJury.objects.get(affectation=affectation, critere=critere)
    assert (note.valeur, note.porte, note.commentaire) == (3, "", "")


def test_note_nommee_comme_le_formulaire_enregistree(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client_jure.post(
        url_note(affectation, critere), {f"valeur-{critere.pk}": "2"}, **HTMX
    )

    assert reponse.status_code == 200
    assert NoteJury.objects.get(affectation=affectation, critere=critere).valeur == 2


def test_note_porte_enregistree(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[1]

    reponse = client_jure.post(url_note(affectation, critere), {"porte": "a_verifier"}, **HTMX)

    assert reponse.status_code == 200
    assert NoteJury.objects.get(affectation=affectation, critere=critere).porte == "a_verifier"


def test_note_commentaire_enregistre(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client_jure.post(
        url_note(affectation, critere),
        {"commentaire": "  Motivation portée par le maire. "},
        **HTMX,
    )

    assert reponse.status_code == 200
    note = NoteJury.objects.get(affectation=affectation, critere=critere)
    assert (note.valeur, note.commentaire) == (None, "Motivation portée par le maire.")


def test_note_niveau_invalide_refuse(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client_jure.post(url_note(affectation, critere), {"valeur": "9"}, **HTMX)

    assert reponse.status_code == 422
    assert "Choisissez un des niveaux de l&#x27;échelle (1, 2, 3, 4)." in reponse.content.decode()
    assert "X-Revision" not in reponse
    assert list(NoteJury.objects.filter(affectation=affectation)) == []


def test_note_oui_non_sur_une_echelle_refuse(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client_jure.post(url_note(affectation, critere), {"porte": "oui"}, **HTMX)

    assert reponse.status_code == 422
    assert "Ce critère se note sur l&#x27;échelle." in reponse.content.decode()
    assert list(NoteJury.objects.filter(affectation=affectation)) == []


def test_note_critere_d_un_autre_cycle_404(client_jure, affectation, autre_cycle):
    from candidatures.grille import grille_par_defaut

    grille_par_defaut(autre_cycle)
    etranger = autre_cycle.criteres.get(ordre=2)

    reponse = client_jure.post(url_note(affectation, etranger), {"valeur": "3"}, **HTMX)

    assert reponse.status_code == 404
    assert list(NoteJury.objects.filter(affectation=affectation)) == []


def test_commentaire_general_enregistre(client_jure, affectation):
    reponse = client_jure.post(
        url_evaluation(affectation, "jury:commentaire"),
        {"commentaire": "Une candidature sincère."},
        **HTMX,
    )

    assert reponse.status_code == 200
    assert "Enregistré à" in reponse.content.decode()
    affectation.refresh_from_db()
    assert affectation.commentaire == "Une candidature sincère."


def test_note_refusee_apres_soumission(client_jure, affectation):
    noter(affectation, {2: 3, 3: 4})
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client_jure.post(url_note(affectation, critere), {"valeur": "1"}, **HTMX)

    assert reponse.status_code == 422
    assert "Votre évaluation est soumise : elle ne peut plus être modifiée." in (
        reponse.content.decode()
    )
    assert NoteJury.objects.get(affectation=affectation, critere=critere).valeur == 3


def test_commentaire_refuse_apres_soumission(client_jure, affectation):
    noter(affectation, {2: 3, 3: 4})

    reponse = client_jure.post(
        url_evaluation(affectation, "jury:commentaire"), {"commentaire": "Trop tard"}, **HTMX
    )

    assert reponse.status_code == 422
    affectation.refresh_from_db()
    assert affectation.commentaire == ""


def test_enregistrer_sans_javascript(client_jure, affectation):
    criteres = criteres_par_ordre(affectation.jure.cycle)

    reponse = client_jure.post(
        url_evaluation(affectation),
        {
            f"porte-{criteres[1].pk}": "oui",
            f"valeur-{criteres[2].pk}": "4",
            f"commentaire-{criteres[2].pk}": "Très motivée.",
            f"commentaire-{criteres[3].pk}": "",
            "commentaire": "Bon dossier.",
            "_formulaire_complet": "1",
        },
    )

    assert reponse.status_code == 302
    assert reponse.url == url_evaluation(affectation)
    notes = sorted(
        (n.critere.ordre, n.valeur, n.porte, n.commentaire)
        for n in NoteJury.objects.filter(affectation=affectation)
    )
    assert notes == [(1, None, "oui", ""), (2, 4, "", "Très motivée."), (3, None, "", "")]
    affectation.refresh_from_db()
    assert affectation.commentaire == "Bon dossier."


def test_enregistrer_sans_javascript_niveau_invalide(client_jure, affectation):
    criteres = criteres_par_ordre(affectation.jure.cycle)

    reponse = client_jure.post(
        url_evaluation(affectation),
        {
            f"valeur-{criteres[2].pk}": "7",
            f"commentaire-{criteres[2].pk}": "Je garde ce texte.",
            f"porte-{criteres[4].pk}": "non",
        },
    )

    assert reponse.status_code == 422
    html = reponse.content.decode()
    assert "Choisissez un des niveaux de l&#x27;échelle (1, 2, 3, 4)." in html
    assert "Je garde ce texte." in html
    assert NoteJury.objects.get(affectation=affectation, critere=criteres[4]).porte == "non"
    assert not NoteJury.objects.filter(affectation=affectation, critere=criteres[2]).exists()


def test_balise_d_onglet_ferme(client_jure, affectation):
    critere = criteres_par_ordre(affectation.jure.cycle)[3]

    reponse = client_jure.post(
        url_evaluation(affectation), {"_balise": "1", f"valeur-{critere.pk}": "2"}
    )

    assert reponse.status_code == 204
    assert NoteJury.objects.get(affectation=affectation, critere=critere).valeur == 2


# --- submission -----------------------------------------------------------------------------


def test_soumettre_avec_criteres_manquants_refuse(client_jure, affectation):
    criteres = criteres_par_ordre(affectation.jure.cycle)
    services.note_enregistrer(affectation, criteres[1], porte="oui", par=affectation.jure.user)
    services.note_enregistrer(affectation, criteres[2], valeur="3", par=affectation.jure.user)

    reponse = client_jure.post(url_evaluation(affectation, "jury:soumettre"))

    assert reponse.status_code == 422
    html = reponse.content.decode()
    assert f"Il reste à noter : {criteres[3].intitule} ; {criteres[4].intitule}." in html.replace(
        "&#x27;", "'"
    )
    assert [ligne.critere for ligne in reponse.context["manquants"]] == [criteres[3], criteres[4]]
    assert f'href="#critere-{criteres[3].pk}"' in html
    affectation.refresh_from_db()
    assert affectation.soumise_le is None


def test_soumettre_sans_javascript_enregistre_puis_soumet(client_jure, affectation):
    criteres = criteres_par_ordre(affectation.jure.cycle)

    reponse = client_jure.post(
        url_evaluation(affectation, "jury:soumettre"),
        {
            "_formulaire_complet": "1",
            f"porte-{criteres[1].pk}": "oui",
            f"valeur-{criteres[2].pk}": "3",
            f"valeur-{criteres[3].pk}": "2",
            f"porte-{criteres[4].pk}": "a_verifier",
            "commentaire": "Complet.",
        },
    )

    assert reponse.status_code == 302
    affectation.refresh_from_db()
    assert affectation.soumise_le is not None
    assert affectation.commentaire == "Complet."


def test_apres_soumission_la_page_est_en_lecture_seule(client_jure, affectation):
    noter(affectation, {2: 3, 3: 4}, soumettre=False)

    soumission = client_jure.post(url_evaluation(affectation, "jury:soumettre"))
    reponse = client_jure.get(url_evaluation(affectation))

    assert soumission.status_code == 302
    affectation.refresh_from_db()
    assert affectation.soumise_le is not None
    html = reponse.content.decode()
    assert "Vous avez soumis votre évaluation le" in html
    assert "hx-post" not in html
    assert "Soumettre mon évaluation" not in html
    # Each radio and comment box of the four criteria, and the overall comment.
    assert html.count(" disabled") == (3 + 1) + (4 + 1) + (4 + 1) + (3 + 1) + 1


def test_enregistrer_sans_javascript_apres_soumission_refuse(client_jure, affectation):
    noter(affectation, {2: 3, 3: 4})
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client_jure.post(url_evaluation(affectation), {f"valeur-{critere.pk}": "1"})

    assert reponse.status_code == 302
    assert messages_de(reponse) == [
        "Votre évaluation est soumise : elle ne peut plus être modifiée."
    ]
    assert NoteJury.objects.get(affectation=affectation, critere=critere).valeur == 3


# --- independence of scores -------------------------------------------------------------------


@pytest.fixture
def autre_evaluation(affectation):
    collegue = JureFactory(cycle=affectation.jure.cycle, user__first_name="Odile")
    autre = AffectationFactory(jure=collegue, candidature=affectation.candidature)
    noter(autre, {2: 1, 3: 1})
    critere = criteres_par_ordre(affectation.jure.cycle)[2]
    NoteJury.objects.filter(affectation=autre, critere=critere).update(
        commentaire="Avis très réservé de la collègue"
    )
    autre.commentaire = "Conclusion confidentielle de la collègue"
    autre.save(update_fields=["commentaire"])
    return autre


def test_notes_des_autres_cachees_avant_soumission(client_jure, affectation, autre_evaluation):
    reponse = client_jure.get(url_evaluation(affectation))

    html = reponse.content.decode()
    assert "Avis très réservé de la collègue" not in html
    assert "Conclusion confidentielle de la collègue" not in html
    assert autre_evaluation.jure.user.nom_affiche not in html
    assert reponse.context["notes_croisees"] is None
    assert "après avoir soumis votre évaluation" in html


def test_notes_des_autres_visibles_apres_soumission(client_jure, affectation, autre_evaluation):
    noter(affectation, {2: 4, 3: 4})

    reponse = client_jure.get(url_evaluation(affectation))

    html = reponse.content.decode()
    assert "Avis très réservé de la collègue" in html
    assert "Conclusion confidentielle de la collègue" in html
    croisees = reponse.context["notes_croisees"]
    assert croisees["jures"] == [autre_evaluation.jure.user.nom_affiche]
    assert [[c["note"] for c in ligne["cellules"]] for ligne in croisees["lignes"]] == [
        ["Oui", "Oui"],
        ["4 – Remarquable", "1 – Insuffisant"],
        ["4 – Remarquable", "1 – Insuffisant"],
        ["Oui", "Oui"],
    ]


def test_notes_des_autres_cachees_jusqu_a_la_deliberation(
    client_jure, affectation, autre_evaluation, jury
):
    jury.visibilite_notes = "deliberation"
    jury.save(update_fields=["visibilite_notes"])
    noter(affectation, {2: 4, 3: 4})

    avant = client_jure.get(url_evaluation(affectation)).content.decode()
    jury.deliberation_ouverte_le = timezone.now()
    jury.save(update_fields=["deliberation_ouverte_le"])
    apres = client_jure.get(url_evaluation(affectation)).content.decode()

    assert "Avis très réservé de la collègue" not in avant
    assert "jusqu'à l'ouverture de la délibération" in avant
    assert "Avis très réservé de la collègue" in apres


# --- access ---------------------------------------------------------------------------------


def test_candidature_d_un_autre_jure_404(client_jure, cycle_jury):
    autre = AffectationFactory(
        jure=JureFactory(cycle=cycle_jury),
        candidature=CandidatureDeposeeFactory(cycle=cycle_jury),
    )

    assert client_jure.get(url_evaluation(autre)).status_code == 404


def test_candidature_non_affectee_404(client_jure, jure, cycle_jury):
    candidature = CandidatureDeposeeFactory(cycle=cycle_jury)
    url = reverse("jury:evaluation", args=[cycle_jury.slug, candidature.pk])
    critere = criteres_par_ordre(cycle_jury)[2]
    url_note_ = reverse("jury:note", args=[cycle_jury.slug, candidature.pk, critere.pk])

    assert client_jure.get(url).status_code == 404
    assert client_jure.post(url_note_, {"valeur": "3"}, **HTMX).status_code == 404
    assert list(NoteJury.objects.all()) == []


def test_candidature_en_conflit_404_page_et_piece(client_jure, affectation):
    piece = PieceJointeFactory(candidature=affectation.candidature)
    LienFactory(jure=affectation.jure, territoire=affectation.candidature.territoire)

    page = client_jure.get(url_evaluation(affectation))
    fichier = client_jure.get(url_evaluation(affectation, "jury:piece", piece_pk=piece.pk))

    assert (page.status_code, fichier.status_code) == (404, 404)


def test_jure_inactif_404(client_jure, affectation):
    affectation.jure.actif = False
    affectation.jure.save(update_fields=["actif"])

    assert client_jure.get(url_evaluation(affectation)).status_code == 404


def test_candidature_sous_un_autre_cycle_404(client_jure, affectation, autre_cycle):
    url = reverse("jury:evaluation", args=[autre_cycle.slug, affectation.candidature_id])

    assert client_jure.get(url).status_code == 404


def test_candidat_ne_voit_pas_l_evaluation(client, affectation):
    noter(affectation, {2: 3, 3: 4})
    client.force_login(affectation.candidature.proprietaire)

    assert client.get(url_evaluation(affectation)).status_code == 404
    accueil = client.get(reverse("jury:accueil"))
    assert accueil.context["sieges"] == []


@pytest.mark.parametrize("nom", ["jury:evaluation", "jury:soumettre", "jury:commentaire"])
def test_anonyme_renvoye_vers_la_connexion(client, affectation, nom):
    url = url_evaluation(affectation, nom)

    reponse = client.post(url) if nom != "jury:evaluation" else client.get(url)

    assert reponse.status_code == 302
    assert reponse["Location"] == f"{reverse('account_login')}?next={url}"


def test_accueil_anonyme_renvoye_vers_la_connexion(client, db):
    url = reverse("jury:accueil")

    reponse = client.get(url)

    assert reponse["Location"] == f"{reverse('account_login')}?next={url}"


def test_piece_telechargee_par_le_jure_affecte(client_jure, affectation):
    piece = PieceJointeFactory(candidature=affectation.candidature, nom_original="lettre.pdf")

    reponse = client_jure.get(url_evaluation(affectation, "jury:piece", piece_pk=piece.pk))

    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert reponse["Content-Disposition"] == 'attachment; filename="lettre.pdf"'


def test_piece_d_une_autre_candidature_404(client_jure, affectation):
    etrangere = PieceJointeFactory(
        candidature=CandidatureDeposeeFactory(cycle=affectation.jure.cycle)
    )

    reponse = client_jure.get(url_evaluation(affectation, "jury:piece", piece_pk=etrangere.pk))

    assert reponse.status_code == 404


def test_piece_retiree_de_la_version_deposee_404(client_jure, affectation):
    piece = PieceJointeFactory(candidature=affectation.candidature, sha256="1" * 64)
    VersionCandidature.objects.create(
        candidature=affectation.candidature,
        numero=1,
        donnees=instantane(affectation.candidature) | {"pieces_jointes": []},
        deposee_le=timezone.now(),
    )

    reponse = client_jure.get(url_evaluation(affectation, "jury:piece", piece_pk=piece.pk))

    assert reponse.status_code == 404


def test_utilisateur_sans_siege_note_404(client, affectation):
    client.force_login(UserFactory())
    critere = criteres_par_ordre(affectation.jure.cycle)[2]

    reponse = client.post(url_note(affectation, critere), {"valeur": "3"}, **HTMX)

    assert reponse.status_code == 404
    assert list(NoteJury.objects.all()) == []
    assert Lien.objects.count() == 0
