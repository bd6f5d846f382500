"""The candidate's space (/candidatures/): list, new candidature, the form that saves itself,
submission, reopening, receipts, co-editors."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import StatutCandidature
from candidatures.models import Acces, Candidature, VersionCandidature
from candidatures.services import acces_inviter, candidature_soumettre
from candidatures.views.espace import (
    date_heure,
    delai_restant,
    heure,
    masquer_email,
    quand_court,
)
from cerdd_cycle.comptes.roles import Role, role_attribuer
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.territoires.normalisation import normaliser
from tests.factories import (
    CandidatureFactory,
    CycleFactory,
    DepartementFactory,
    PieceJointeFactory,
    RegionFactory,
    TerritoireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _dossier_statique(settings, tmp_path):
    # WhiteNoise warns (an error under filterwarnings) when STATIC_ROOT does not exist.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


def _connecte(client, user):
    client.force_login(user)
    return user


def _heure_paris(valeur):
    local = valeur.astimezone(PARIS)
    return f"{local.hour}\u00a0h\u00a0{local.minute:02d}"


def _deposee(**kwargs):
    candidature = CandidatureFactory(**kwargs)
    PieceJointeFactory(candidature=candidature)
    candidature_soumettre(candidature, candidature.proprietaire)
    candidature.refresh_from_db()
    return candidature


def _passer_la_date_limite(candidature):
    cycle = candidature.cycle
    cycle.ouverture_ami = timezone.now() - datetime.timedelta(days=60)
    cycle.date_limite = timezone.now() - datetime.timedelta(minutes=1)
    cycle.save(update_fields=["ouverture_ami", "date_limite"])


# --- formatting --------------------------------------------------------------------------------


def test_date_heure_en_francais_heure_de_paris():
    # 10:58 UTC in March is 11:58 in Paris.
    valeur = datetime.datetime(2021, 3, 12, 10, 58, tzinfo=datetime.UTC)

    assert date_heure(valeur) == "12 mars 2021 à 11\u00a0h\u00a058"
    assert date_heure(valeur, jour_semaine=True) == "vendredi 12 mars 2021 à 11\u00a0h\u00a058"
    assert heure(valeur) == "11\u00a0h\u00a058"


def test_date_heure_premier_du_mois():
    valeur = datetime.datetime(2021, 3, 1, 9, 5, tzinfo=PARIS)

    assert date_heure(valeur) == "1er mars 2021 à 9\u00a0h\u00a005"


@pytest.mark.parametrize(
    ("reste", "attendu"),
    [
        (datetime.timedelta(days=12, hours=3), "encore 12 jours"),
        (datetime.timedelta(days=1, hours=1), "encore 1 jour"),
        (datetime.timedelta(hours=5, minutes=2), "encore 5 heures"),
        (datetime.timedelta(minutes=20), "moins d'une heure"),
        (datetime.timedelta(seconds=-1), "date limite passée"),
    ],
)
def test_delai_restant(reste, attendu):
    maintenant = timezone.now()

    assert delai_restant(maintenant + reste, maintenant) == attendu


def test_quand_court_aujourd_hui_ou_le_jour():
    maintenant = datetime.datetime(2021, 3, 12, 16, 0, tzinfo=PARIS)

    assert quand_court(maintenant.replace(hour=14, minute=32), maintenant) == (
        "aujourd'hui à 14\u00a0h\u00a032"
    )
    assert quand_court(datetime.datetime(2021, 3, 1, 9, 5, tzinfo=PARIS), maintenant) == (
        "le 1er mars à 9\u00a0h\u00a005"
    )


def test_masquer_email():
    assert masquer_email("claire.martin@mairie.fr") == "c•••@mairie.fr"


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "args"),
    [
        ("liste", []),
        ("nouvelle", ["cycle-2021"]),
        ("formulaire", [1]),
        ("pdf", [1]),
        ("recu", [1, 1]),
        ("invitation", ["0b0e4b5e-6c6f-4a52-9a4e-0f6ad0d0c0de"]),
    ],
)
def test_anonyme_renvoye_vers_la_connexion(client, nom, args):
    url = reverse(f"candidatures:{nom}", args=args)

    reponse = client.get(url)

    assert reponse.status_code == 302
    assert reponse["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(
    ("nom", "methode"),
    [
        ("formulaire", "get"),
        ("enregistrer", "post"),
        ("soumettre", "post"),
        ("rouvrir", "post"),
        ("pdf", "get"),
        ("recu", "get"),
    ],
)
def test_candidature_d_autrui_repond_404(client, nom, methode):
    candidature = _deposee(politique_nom="Jean Dupont")
    _connecte(client, UserFactory())
    args = [candidature.pk, 1] if nom == "recu" else [candidature.pk]

    reponse = getattr(client, methode)(
        reverse(f"candidatures:{nom}", args=args), {"politique_nom": "Pirate"}
    )

    assert reponse.status_code == 404
    candidature.refresh_from_db()
    assert candidature.politique_nom == "Jean Dupont"
    assert candidature.statut == StatutCandidature.DEPOSEE


@pytest.mark.parametrize("nom", ["enregistrer", "soumettre", "rouvrir"])
def test_ecritures_refusent_get(client, nom):
    candidature = CandidatureFactory()
    _connecte(client, candidature.proprietaire)

    reponse = client.get(reverse(f"candidatures:{nom}", args=[candidature.pk]))

    assert reponse.status_code == 405


def test_coediteur_ouvre_le_formulaire_sans_gerer_les_acces(client):
    candidature = CandidatureFactory()
    coediteur = UserFactory()
    Acces.objects.create(
        candidature=candidature,
        email=coediteur.email,
        user=coediteur,
        accepte_le=timezone.now(),
    )
    _connecte(client, coediteur)

    page = client.get(reverse("candidatures:formulaire", args=[candidature.pk]))
    invitation = client.post(
        reverse("candidatures:inviter", args=[candidature.pk]), {"email": "x@exemple.fr"}
    )

    assert page.status_code == 200
    assert "Vous co-éditez cette candidature" in page.content.decode()
    assert invitation.status_code == 404
    assert not Acces.objects.filter(email="x@exemple.fr").exists()


# --- list -------------------------------------------------------------------------------------


def test_liste_montre_brouillon_delai_et_bouton_pour_l_appel_ouvert(client):
    cycle = CycleFactory(titre="Territoires participatifs 2021")
    candidature = CandidatureFactory(cycle=cycle, territoire__nom="Annœullin")
    _connecte(client, candidature.proprietaire)

    reponse = client.get(reverse("candidatures:liste"))

    html = reponse.content.decode()
    assert "Annœullin" in html
    assert "Territoires participatifs 2021" in html
    assert "Brouillon" in html
    assert "encore 29 jours" in html
    assert reverse("candidatures:formulaire", args=[candidature.pk]) in html
    assert reverse("candidatures:nouvelle", args=[cycle.slug]) in html


def test_liste_montre_la_date_de_depot_et_la_reouverture(client):
    deposee = _deposee(territoire__nom="Annœullin")
    rouverte = _deposee(proprietaire=deposee.proprietaire, territoire__nom="Lomme")
    Candidature.objects.filter(pk=rouverte.pk).update(statut=StatutCandidature.EN_MODIFICATION)
    _connecte(client, deposee.proprietaire)

    html = client.get(reverse("candidatures:liste")).content.decode()

    assert f"Déposée ✓ le {date_heure(deposee.depose_le)}" in html
    assert "modifications en cours, pas encore redéposées" in html
    assert "binôme confirmé 0/2" in html


def test_liste_montre_les_invitations_en_attente(client):
    candidature = CandidatureFactory(territoire__nom="Annœullin")
    invite = UserFactory()
    acces = acces_inviter(candidature, par=candidature.proprietaire, email=invite.email)
    _connecte(client, invite)

    html = client.get(reverse("candidatures:liste")).content.decode()

    assert "On vous invite à co-éditer" in html
    assert reverse("candidatures:invitation", args=[acces.jeton]) in html


def test_liste_sans_appel_ouvert(client, utilisateur):
    CycleFactory(
        ouverture_ami=timezone.now() - datetime.timedelta(days=90),
        date_limite=timezone.now() - datetime.timedelta(days=1),
    )
    _connecte(client, utilisateur)

    html = client.get(reverse("candidatures:liste")).content.decode()

    assert "Vous n'avez encore commencé aucune candidature." in html
    assert "Aucun appel à candidatures n'est ouvert en ce moment." in html


# session, user, roles, candidatures, invitations, access requests, open cycles
REQUETES_LISTE = 7


@pytest.mark.parametrize("nombre", [1, 3])
def test_liste_nombre_de_requetes_constant(client, django_assert_num_queries, nombre):
    user = UserFactory()
    cycle = CycleFactory()
    for _i in range(nombre):
        _deposee(cycle=cycle, proprietaire=user)
    acces_inviter(CandidatureFactory(cycle=cycle), par=UserFactory(), email=user.email)
    _connecte(client, user)

    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(reverse("candidatures:liste"))

    assert reponse.content.decode().count("Déposée ✓ le") == nombre


def test_menu_mes_candidatures_pour_un_candidat(client, utilisateur):
    _connecte(client, utilisateur)
    avant = client.get(reverse("accueil")).content.decode()
    role_attribuer(utilisateur, Role.CANDIDAT)

    apres = client.get(reverse("candidatures:liste")).content.decode()

    assert "Mes candidatures</a>" not in avant
    assert 'aria-current="page">Mes candidatures</a>' in apres


# --- new candidature --------------------------------------------------------------------------


def test_nouvelle_recherche_htmx_dans_la_region_du_cycle(client, utilisateur):
    cycle = CycleFactory()
    _connecte(client, utilisateur)

    html = client.get(reverse("candidatures:nouvelle", args=[cycle.slug])).content.decode()

    assert f'hx-get="{reverse("territoires:recherche")}?region=32"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'name="territoire" id="territoire-choisi" disabled' in html


def test_nouvelle_recherche_sans_javascript_propose_des_boutons_radio(client, utilisateur):
    cycle = CycleFactory()
    annoeullin = TerritoireFactory(
        nom="Annœullin", nom_recherche=normaliser("Annœullin"), region=cycle.region
    )
    ailleurs = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    TerritoireFactory(
        nom="Annœullin-sur-Rhône",
        nom_recherche=normaliser("Annœullin-sur-Rhône"),
        departement=DepartementFactory(code="69", nom="Rhône", region=ailleurs),
    )
    _connecte(client, utilisateur)

    html = client.get(
        reverse("candidatures:nouvelle", args=[cycle.slug]), {"q": "annoeullin"}
    ).content.decode()

    assert f'type="radio" name="territoire" value="{annoeullin.siren}"' in html
    assert html.count('type="radio" name="territoire"') == 1


def test_nouvelle_par_la_liste_officielle(client, utilisateur):
    cycle = CycleFactory()
    commune = TerritoireFactory(nom="Annœullin", region=cycle.region)
    _connecte(client, utilisateur)

    reponse = client.post(
        reverse("candidatures:nouvelle", args=[cycle.slug]),
        {"mode": "liste", "territoire": commune.siren},
    )

    candidature = Candidature.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("candidatures:formulaire", args=[candidature.pk])
    assert candidature.territoire == commune
    assert candidature.proprietaire == utilisateur
    assert candidature.eligibilite_a_verifier is False


def test_nouvelle_sans_choix_demande_de_choisir(client, utilisateur):
    cycle = CycleFactory()
    _connecte(client, utilisateur)

    reponse = client.post(reverse("candidatures:nouvelle", args=[cycle.slug]), {"mode": "liste"})

    assert reponse.status_code == 422
    assert "Choisissez votre collectivité dans la liste." in reponse.content.decode()
    assert Candidature.objects.count() == 0


def test_nouvelle_collectivite_d_une_autre_region_refusee(client, utilisateur):
    cycle = CycleFactory()
    ailleurs = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    lyon = TerritoireFactory(
        nom="Lyon", departement=DepartementFactory(code="69", nom="Rhône", region=ailleurs)
    )
    _connecte(client, utilisateur)

    reponse = client.post(
        reverse("candidatures:nouvelle", args=[cycle.slug]),
        {"mode": "liste", "territoire": lyon.siren},
    )

    assert reponse.status_code == 422
    assert "Lyon n&#x27;est pas dans la région de cet appel." in reponse.content.decode()
    assert Candidature.objects.count() == 0


def test_nouvelle_structure_hors_liste_eligibilite_a_verifier(client, utilisateur):
    cycle = CycleFactory()
    nord = DepartementFactory()
    _connecte(client, utilisateur)

    reponse = client.post(
        reverse("candidatures:nouvelle", args=[cycle.slug]),
        {
            "mode": "hors_liste",
            "structure_nom": "Parc naturel régional Scarpe-Escaut",
            "structure_siren": "732 829 320",
            "structure_nature": "Syndicat mixte",
            "departement": nord.code,
        },
    )

    candidature = Candidature.objects.get()
    assert reponse.status_code == 302
    assert candidature.structure_nom == "Parc naturel régional Scarpe-Escaut"
    assert candidature.structure_siren == "732829320"
    assert candidature.departement == nord
    assert candidature.eligibilite_a_verifier is True
    page = client.get(reponse["Location"]).content.decode()
    assert "l'équipe du Cerdd vérifiera son éligibilité" in page


def test_nouvelle_structure_siren_invalide(client, utilisateur):
    cycle = CycleFactory()
    nord = DepartementFactory()
    _connecte(client, utilisateur)

    reponse = client.post(
        reverse("candidatures:nouvelle", args=[cycle.slug]),
        {
            "mode": "hors_liste",
            "structure_nom": "Syndicat",
            "structure_siren": "123456789",
            "structure_nature": "Syndicat mixte",
            "departement": nord.code,
        },
    )

    html = reponse.content.decode()
    assert reponse.status_code == 422
    assert "celui-ci n&#x27;est pas valide" in html
    assert 'aria-describedby="id_structure_siren_helptext id_structure_siren_error"' in html
    assert '<details class="votre-espace" open>' in html
    assert Candidature.objects.count() == 0


@pytest.mark.parametrize(
    ("ouverture", "limite", "message"),
    [
        (1, 30, "L'appel à candidatures n'est pas encore ouvert"),
        (-60, -1, "L'appel à candidatures est clos depuis le"),
    ],
)
def test_nouvelle_appel_pas_ouvert_sans_formulaire(client, utilisateur, ouverture, limite, message):
    maintenant = timezone.now()
    cycle = CycleFactory(
        ouverture_ami=maintenant + datetime.timedelta(days=ouverture),
        date_limite=maintenant + datetime.timedelta(days=limite),
    )
    commune = TerritoireFactory(region=cycle.region)
    _connecte(client, utilisateur)
    url = reverse("candidatures:nouvelle", args=[cycle.slug])

    page = client.get(url).content.decode()
    client.post(url, {"mode": "liste", "territoire": commune.siren})

    assert message in page
    assert "Commencer la candidature" not in page
    assert Candidature.objects.count() == 0


def test_nouvelle_collectivite_deja_prise_puis_acces_demande_et_accorde(client):
    titulaire = UserFactory(email="claire@mairie-annoeullin.fr")
    candidature = CandidatureFactory(proprietaire=titulaire, territoire__nom="Annœullin")
    collegue = _connecte(client, UserFactory(email="paul@mairie-annoeullin.fr"))

    reponse = client.post(
        reverse("candidatures:nouvelle", args=[candidature.cycle.slug]),
        {"mode": "liste", "territoire": candidature.territoire.siren},
    )

    html = reponse.content.decode()
    assert "Une candidature existe déjà pour Annœullin" in html
    assert "c•••@mairie-annoeullin.fr" in html
    assert "claire@" not in html
    assert "Demander l'accès" in html
    assert Candidature.objects.count() == 1

    reponse = client.post(
        reverse("candidatures:demander_acces", args=[candidature.cycle.slug]),
        {"siren": candidature.territoire.siren, "message": "Je suis le DGS."},
        follow=True,
    )

    acces = Acces.objects.get()
    assert (acces.candidature, acces.user, acces.demande, acces.accepte_le) == (
        candidature,
        collegue,
        True,
        None,
    )
    assert acces.message == "Je suis le DGS."
    assert "Votre demande d&#x27;accès à la candidature de Annœullin est envoyée" in (
        reponse.content.decode()
    )
    courriel = Courriel.objects.get(categorie="demande_acces")
    assert courriel.destinataires == ["claire@mairie-annoeullin.fr"]
    formulaire = reverse("candidatures:formulaire", args=[candidature.pk])
    assert client.get(formulaire).status_code == 404

    client.force_login(titulaire)
    page = client.get(formulaire).content.decode()
    assert "Je suis le DGS." in page
    reponse = client.post(reverse("candidatures:accorder", args=[candidature.pk, acces.pk]))

    assert reponse["Location"] == f"{formulaire}#coedition"
    acces.refresh_from_db()
    assert acces.accepte_le is not None
    client.force_login(collegue)
    assert client.get(formulaire).status_code == 200


def test_nouvelle_deja_la_mienne_propose_de_l_ouvrir(client):
    candidature = CandidatureFactory(territoire__nom="Annœullin")
    _connecte(client, candidature.proprietaire)

    html = client.post(
        reverse("candidatures:nouvelle", args=[candidature.cycle.slug]),
        {"mode": "liste", "territoire": candidature.territoire.siren},
    ).content.decode()

    assert "Vous avez déjà une candidature pour Annœullin" in html
    assert "Demander l'accès" not in html


def test_demande_d_acces_refusee_par_le_titulaire(client):
    candidature = CandidatureFactory()
    demandeur = UserFactory()
    acces = Acces.objects.create(
        candidature=candidature, email=demandeur.email, user=demandeur, demande=True
    )
    _connecte(client, candidature.proprietaire)

    client.post(reverse("candidatures:retirer", args=[candidature.pk, acces.pk]))

    assert not Acces.objects.exists()
    client.force_login(demandeur)
    assert client.get(reverse("candidatures:formulaire", args=[candidature.pk])).status_code == 404


# --- the form -------------------------------------------------------------------------------


def test_formulaire_suit_les_sections_avec_enregistrement_automatique(client):
    candidature = CandidatureFactory()
    _connecte(client, candidature.proprietaire)

    reponse = client.get(reverse("candidatures:formulaire", args=[candidature.pk]))

    html = reponse.content.decode()
    assert reponse.status_code == 200
    for cle in ("contact", "politique", "technique", "point_contact", "motivations", "binome"):
        assert f'<fieldset id="section-{cle}"' in html
    assert html.index('id="section-contact"') < html.index('id="section-binome"')
    url = reverse("candidatures:enregistrer", args=[candidature.pk])
    assert f'hx-post="{url}"' in html
    assert 'hx-params="motivations"' in html
    assert 'hx-trigger="input changed delay:2s, change, reessayer"' in html
    assert 'id="etat-enregistrement" class="small mb-0" role="status" aria-live="polite"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="section-politique tel"' in html
    assert f'data-revision="{candidature.revision}"' in html
    assert "<script>" not in html and " onclick=" not in html and 'style="' not in html
    assert '<div id="pieces">' in html
    assert "Télécharger le brouillon en PDF" in html


def test_enregistrer_un_champ_repond_enregistre_a_l_heure_de_paris(client):
    candidature = CandidatureFactory(motivations="Avant", actions="Inchangé")
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        {"motivations": "Associer les habitant·es"},
        **HTMX,
    )

    candidature.refresh_from_db()
    assert reponse.status_code == 200
    assert (candidature.motivations, candidature.actions) == (
        "Associer les habitant·es",
        "Inchangé",
    )
    assert candidature.revision == 1
    assert reponse["X-Revision"] == "1"
    assert reponse.content.decode().strip() == (
        f"Enregistré à {_heure_paris(candidature.modifie_le)}"
    )


def test_deux_onglets_sur_des_champs_differents_gardent_les_deux(client):
    candidature = CandidatureFactory(motivations="M0", besoins="B0")
    _connecte(client, candidature.proprietaire)
    url = reverse("candidatures:enregistrer", args=[candidature.pk])

    client.post(url, {"motivations": "M1 (onglet 1)"}, **HTMX)
    client.post(url, {"besoins": "B1 (onglet 2)"}, **HTMX)

    candidature.refresh_from_db()
    assert (candidature.motivations, candidature.besoins) == ("M1 (onglet 1)", "B1 (onglet 2)")
    assert candidature.revision == 2


def test_enregistrer_case_decochee_grace_au_temoin(client):
    candidature = CandidatureFactory(engagement_binome=True, engagements=["plan_climat", "cte"])
    _connecte(client, candidature.proprietaire)
    url = reverse("candidatures:enregistrer", args=[candidature.pk])

    client.post(url, {"engagement_binome": ""}, **HTMX)
    client.post(url, {"engagements": ["", "agenda_2030"]}, **HTMX)

    candidature.refresh_from_db()
    assert candidature.engagement_binome is False
    assert candidature.engagements == ["agenda_2030"]


def test_courriel_invalide_garde_tel_quel_puis_signale_au_depot(client):
    candidature = CandidatureFactory()
    PieceJointeFactory(candidature=candidature)
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        {"politique_email": "jean.dupont@mairie"},
        **HTMX,
    )
    depot = client.post(reverse("candidatures:soumettre", args=[candidature.pk]))

    candidature.refresh_from_db()
    assert reponse.status_code == 200
    assert candidature.politique_email == "jean.dupont@mairie"
    assert depot.status_code == 422
    assert (
        "Référent·e politique : l&#x27;adresse « jean.dupont@mairie » n&#x27;est pas valide."
        in depot.content.decode()
    )
    assert candidature.statut == StatutCandidature.BROUILLON


def test_enregistrer_texte_trop_long_coupe_a_la_taille_du_champ(client):
    candidature = CandidatureFactory()
    _connecte(client, candidature.proprietaire)

    client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        {"politique_nom": "x" * 400},
        **HTMX,
    )

    candidature.refresh_from_db()
    assert candidature.politique_nom == "x" * 150


def test_enregistrer_apres_la_date_limite_refuse_sans_rien_changer(client):
    candidature = CandidatureFactory(motivations="Avant")
    _passer_la_date_limite(candidature)
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        {"motivations": "Trop tard"},
        **HTMX,
    )

    candidature.refresh_from_db()
    assert reponse.status_code == 422
    assert "La date limite est passée" in reponse.content.decode()
    assert candidature.motivations == "Avant"
    assert candidature.revision == 0


def test_enregistrer_candidature_deposee_refuse(client):
    candidature = _deposee(motivations="Déposé")
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        {"motivations": "Change"},
        **HTMX,
    )

    assert reponse.status_code == 422
    assert "rouvrez-la pour la modifier" in reponse.content.decode()
    candidature.refresh_from_db()
    assert candidature.motivations == "Déposé"


def test_balise_de_fermeture_enregistre_sans_message(client):
    candidature = CandidatureFactory()
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        {"_balise": "1", "pistes": "Dernière frappe"},
    )

    candidature.refresh_from_db()
    assert reponse.status_code == 204
    assert candidature.pistes == "Dernière frappe"
    page = client.get(reverse("candidatures:formulaire", args=[candidature.pk])).content.decode()
    assert "Vos réponses sont enregistrées" not in page


def _formulaire_complet(candidature, **modifs):
    donnees = {
        "_formulaire_complet": "1",
        "adresse": "",
        "contact_nom": candidature.contact_nom,
        "contact_fonction": "",
        "contact_email": candidature.contact_email,
        "contact_telephone": "",
        "politique_nom": candidature.politique_nom,
        "politique_mandat": candidature.politique_mandat,
        "politique_email": candidature.politique_email,
        "politique_telephone": "",
        "technique_nom": candidature.technique_nom,
        "technique_poste": candidature.technique_poste,
        "technique_email": candidature.technique_email,
        "technique_telephone": "",
        "point_contact_different": "",
        "point_contact_nom": "",
        "point_contact_fonction": "",
        "point_contact_email": "",
        "point_contact_telephone": "",
        "motivations": candidature.motivations,
        "actions": candidature.actions,
        "pistes": candidature.pistes,
        "besoins": candidature.besoins,
        "engagements": ["", *candidature.engagements],
        "engagements_autre": "",
        "engagement_binome": ["", "on"] if candidature.engagement_binome else "",
    }
    return donnees | modifs


def test_enregistrement_sans_javascript_enregistre_tout_le_formulaire(client):
    candidature = CandidatureFactory(engagement_binome=True)
    _connecte(client, candidature.proprietaire)
    url = reverse("candidatures:formulaire", args=[candidature.pk])

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        _formulaire_complet(
            candidature,
            adresse="1 place de la Mairie",
            engagements=["", "tepos", "pat"],
            engagement_binome="",
        ),
    )

    candidature.refresh_from_db()
    assert reponse.status_code == 302
    assert reponse["Location"] == url
    assert candidature.adresse == "1 place de la Mairie"
    assert candidature.engagements == ["tepos", "pat"]
    assert candidature.engagement_binome is False
    assert "Vos réponses sont enregistrées" in client.get(url).content.decode()


def test_enregistrement_sans_javascript_apres_la_date_limite(client):
    candidature = CandidatureFactory(adresse="")
    _passer_la_date_limite(candidature)
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:enregistrer", args=[candidature.pk]),
        _formulaire_complet(candidature, adresse="Trop tard"),
        follow=True,
    )

    candidature.refresh_from_db()
    assert candidature.adresse == ""
    html = reponse.content.decode()
    assert "La date limite est passée : la candidature ne peut plus changer." in html
    assert "ne peut plus être modifiée" in html
    assert "disabled" in html
    assert "hx-post" not in html


def test_formulaire_depose_en_lecture_seule_avec_rouvrir(client):
    candidature = _deposee()
    _connecte(client, candidature.proprietaire)

    html = client.get(reverse("candidatures:formulaire", args=[candidature.pk])).content.decode()

    assert f"Déposée ✓ le {date_heure(candidature.depose_le)}" in html
    assert "Rouvrir pour modifier" in html
    assert "hx-post" not in html
    assert re.search(r"<textarea name=\"motivations\"[^>]* disabled", html)
    assert reverse("candidatures:recu", args=[candidature.pk, 1]) in html
    assert "Reçu de la version 1" in html
    assert "Binôme confirmé 0/2" in html


# --- submission -------------------------------------------------------------------------------


def test_soumettre_incomplete_liste_chaque_manque_et_ne_change_rien(client):
    candidature = CandidatureFactory(
        politique_nom="", motivations="", engagement_binome=False, engagements=[]
    )
    _connecte(client, candidature.proprietaire)

    reponse = client.post(reverse("candidatures:soumettre", args=[candidature.pk]))

    html = reponse.content.decode()
    assert reponse.status_code == 422
    assert 'id="resume-erreurs" class="alert alert-danger" role="alert" tabindex="-1"' in html
    assert "il manque 5 éléments" in html
    for ancre, texte in [
        ("politique", "Référent·e politique : « nom » est à remplir."),
        ("motivations", "Motivations : « motivations » est à remplir."),
        ("engagements", "Démarches de transition engagées : indiquez au moins une démarche."),
        ("binome", "Engagement du binôme : cochez l&#x27;engagement du binôme."),
        ("pieces", "Pièces jointes : ajoutez la lettre de motivation."),
    ]:
        assert f'<a href="#section-{ancre}">{texte}</a>' in html
    assert 'aria-describedby="aide-politique manquants-politique"' in html
    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.BROUILLON
    assert not VersionCandidature.objects.exists()
    assert not Courriel.objects.filter(categorie="accuse_reception").exists()


def test_soumettre_sans_javascript_enregistre_d_abord_ce_qui_a_ete_tape(client):
    candidature = CandidatureFactory(motivations="")
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:soumettre", args=[candidature.pk]),
        _formulaire_complet(candidature, motivations="Tapé sans JavaScript"),
    )

    candidature.refresh_from_db()
    assert reponse.status_code == 422
    assert candidature.motivations == "Tapé sans JavaScript"
    assert "Tapé sans JavaScript" in reponse.content.decode()


def test_soumettre_complete_depose_et_envoie_l_accuse_de_reception(client):
    candidature = CandidatureFactory(
        politique_email="elu@mairie.fr", technique_email="tech@mairie.fr"
    )
    PieceJointeFactory(candidature=candidature)
    user = _connecte(client, candidature.proprietaire)
    formulaire = reverse("candidatures:formulaire", args=[candidature.pk])

    reponse = client.post(reverse("candidatures:soumettre", args=[candidature.pk]))

    candidature.refresh_from_db()
    assert reponse.status_code == 302
    assert reponse["Location"] == formulaire
    assert candidature.statut == StatutCandidature.DEPOSEE
    destinataires = sorted(["elu@mairie.fr", "tech@mairie.fr", user.email])
    courriel = Courriel.objects.get(categorie="accuse_reception")
    assert courriel.destinataires == destinataires
    assert [p.nom for p in courriel.pieces_jointes.all()] == [
        f"recu-candidature-{candidature.pk}-v1.pdf"
    ]
    page = client.get(formulaire).content.decode()
    assert (
        "Candidature déposée ✓ — un accusé de réception avec le reçu PDF a été envoyé à "
        + ", ".join(destinataires)
    ) in page
    assert f"Déposée ✓ le {date_heure(candidature.depose_le)}" in page
    liste = client.get(reverse("candidatures:liste")).content.decode()
    assert f"Déposée ✓ le {date_heure(candidature.depose_le)}" in liste


def test_soumettre_apres_la_date_limite_refuse(client):
    candidature = CandidatureFactory()
    PieceJointeFactory(candidature=candidature)
    _passer_la_date_limite(candidature)
    _connecte(client, candidature.proprietaire)

    reponse = client.post(reverse("candidatures:soumettre", args=[candidature.pk]), follow=True)

    assert "la candidature n&#x27;a pas été déposée" in reponse.content.decode()
    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.BROUILLON


def test_rouvrir_passe_en_modification(client):
    candidature = _deposee()
    _connecte(client, candidature.proprietaire)

    reponse = client.post(reverse("candidatures:rouvrir", args=[candidature.pk]), follow=True)

    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.EN_MODIFICATION
    html = reponse.content.decode()
    assert "La candidature est rouverte." in html
    assert "modifications en cours, pas encore redéposées" in html
    assert "hx-post" in html
    assert "Redéposer la candidature" in html


def test_rouvrir_apres_la_date_limite_refuse(client):
    candidature = _deposee()
    _passer_la_date_limite(candidature)
    _connecte(client, candidature.proprietaire)

    reponse = client.post(reverse("candidatures:rouvrir", args=[candidature.pk]), follow=True)

    candidature.refresh_from_db()
    assert candidature.statut == StatutCandidature.DEPOSEE
    assert "ne peut plus être rouverte" in reponse.content.decode()
    assert "Rouvrir pour modifier" not in reponse.content.decode()


# --- PDFs -------------------------------------------------------------------------------------


def test_brouillon_pdf(client):
    candidature = CandidatureFactory()
    _connecte(client, candidature.proprietaire)

    reponse = client.get(reverse("candidatures:pdf", args=[candidature.pk]))

    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="candidature-{candidature.pk}-brouillon.pdf"'
    )
    assert reponse.content.startswith(b"%PDF")


def test_recu_pdf_de_la_version(client):
    candidature = _deposee()
    _connecte(client, candidature.proprietaire)

    reponse = client.get(reverse("candidatures:recu", args=[candidature.pk, 1]))
    absente = client.get(reverse("candidatures:recu", args=[candidature.pk, 2]))

    assert reponse["Content-Disposition"] == (
        f'attachment; filename="recu-candidature-{candidature.pk}-v1.pdf"'
    )
    assert reponse.content.startswith(b"%PDF")
    assert absente.status_code == 404


# --- co-editors -------------------------------------------------------------------------------


def test_invitation_envoyee_puis_acceptee(client):
    candidature = CandidatureFactory(territoire__nom="Annœullin")
    invite = UserFactory(email="paul@mairie.fr")
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:inviter", args=[candidature.pk]), {"email": "Paul@Mairie.fr"}
    )

    acces = Acces.objects.get()
    assert reponse.status_code == 302
    assert (acces.email, acces.user, acces.accepte_le) == ("paul@mairie.fr", None, None)
    courriel = Courriel.objects.get(categorie="invitation_coediteur")
    assert courriel.destinataires == ["paul@mairie.fr"]
    lien = reverse("candidatures:invitation", args=[acces.jeton])
    assert lien in courriel.texte

    client.force_login(invite)
    page = client.get(lien)
    assert "Candidature de <strong>Annœullin</strong>" in page.content.decode()
    reponse = client.post(lien)

    assert reponse["Location"] == reverse("candidatures:formulaire", args=[candidature.pk])
    acces.refresh_from_db()
    assert acces.user == invite
    assert acces.accepte_le is not None
    assert client.get(reponse["Location"]).status_code == 200


def test_invitation_deja_utilisee_par_un_autre_compte(client):
    candidature = CandidatureFactory()
    premier = UserFactory()
    acces = Acces.objects.create(
        candidature=candidature, email=premier.email, user=premier, accepte_le=timezone.now()
    )
    _connecte(client, UserFactory())

    page = client.get(reverse("candidatures:invitation", args=[acces.jeton]))
    reponse = client.post(reverse("candidatures:invitation", args=[acces.jeton]))

    assert "déjà servi à un autre compte" in page.content.decode()
    assert reponse.status_code == 422
    acces.refresh_from_db()
    assert acces.user == premier


def test_inviter_adresse_invalide(client):
    candidature = CandidatureFactory()
    _connecte(client, candidature.proprietaire)

    reponse = client.post(
        reverse("candidatures:inviter", args=[candidature.pk]),
        {"email": "pas-une-adresse"},
        follow=True,
    )

    assert "Indiquez une adresse électronique valide." in reponse.content.decode()
    assert not Acces.objects.exists()


def test_retirer_un_coediteur(client):
    candidature = CandidatureFactory()
    coediteur = UserFactory()
    acces = Acces.objects.create(
        candidature=candidature, email=coediteur.email, user=coediteur, accepte_le=timezone.now()
    )
    _connecte(client, candidature.proprietaire)

    client.post(reverse("candidatures:retirer", args=[candidature.pk, acces.pk]))

    client.force_login(coediteur)
    assert client.get(reverse("candidatures:formulaire", args=[candidature.pk])).status_code == 404
