"""Sessions in the admin: planned with their speakers, programme and resources, the context
note cleaned when saved, the host among the cycle's pairs; what participants answered and
what was recorded on the day shown read-only."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seances.enums import FormatProgramme
from seances.models import (
    Attestation,
    Confirmation,
    Evaluation,
    Intervenant,
    PointProgramme,
    Presence,
    Question,
    Reglages,
    Ressource,
    Seance,
)
from tests.factories import CycleFactory, IntervenantFactory, SeanceFactory, binome_complet

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_equipe(client, equipe):
    client.force_login(equipe)
    return client


@pytest.fixture
def cycle():
    return CycleFactory(statut="en_cours")


def _vide(prefixe, initiales=0):
    return {
        f"{prefixe}-TOTAL_FORMS": str(initiales),
        f"{prefixe}-INITIAL_FORMS": str(initiales),
        f"{prefixe}-MIN_NUM_FORMS": "0",
        f"{prefixe}-MAX_NUM_FORMS": "1000",
    }


def _donnees(cycle, **champs):
    """What the add or change form posts: the session, and inlines with no row."""
    donnees = {
        "cycle": str(cycle.pk),
        "numero": "1",
        "date": "2021-07-08",
        "heure_debut": "09:30",
        "fin_matinee": "12:30",
        "heure_fin": "16:30",
        "lieu": "Base 11/19",
        "adresse": "62750 Loos-en-Gohelle",
        "hote": "",
        "theme": "Les défis de la participation citoyenne",
        "note_contexte": "",
        "questions_jusqua_0": "",
        "questions_jusqua_1": "",
        "couverts_supplementaires": "3",
        **_vide("intervenants"),
        **_vide("programme"),
        **_vide("ressources"),
    }
    donnees.update(champs)
    return donnees


def _ressource(titre="Fiche", url="", fichier=None, ordre="0"):
    donnees = {
        "ressources-TOTAL_FORMS": "1",
        "ressources-0-titre": titre,
        "ressources-0-url": url,
        "ressources-0-ordre": ordre,
    }
    if fichier is not None:
        donnees["ressources-0-fichier"] = fichier
    return donnees


def _pdf(nom="fiche.pdf"):
    return SimpleUploadedFile(nom, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")


def _pptx(nom="diaporama.pptx"):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return SimpleUploadedFile(nom, tampon.getvalue(), "application/octet-stream")


# --- Planning a session ---------------------------------------------------------------------


def test_admin_page_d_ajout_avec_ses_trois_inlines(client_equipe, cycle):
    en_cours = binome_complet(cycle)
    autre = binome_complet(CycleFactory(statut="termine"))

    response = client_equipe.get(reverse("admin:seances_seance_add"))

    assert response.status_code == 200
    contenu = response.content.decode()
    for prefixe in ("intervenants", "programme", "ressources"):
        assert f'name="{prefixe}-TOTAL_FORMS"' in contenu
    for titre in ("La journée", "Le lieu", "Le contenu"):
        assert f">{titre}</h2>" in contenu
    # The tag names of the help text show as text, not as markup.
    assert "paragraphes &lt;p&gt;" in contenu
    hotes = list(response.context["adminform"].form.fields["hote"].queryset)
    assert hotes == [en_cours]
    assert autre not in hotes


def test_admin_ajoute_une_seance_avec_intervenant_et_ressource(client_equipe, cycle):
    donnees = _donnees(
        cycle,
        **{
            "intervenants-TOTAL_FORMS": "1",
            "intervenants-0-nom": "Loïc Blondiaux",
            "intervenants-0-qualite": "Professeur de science politique",
            "intervenants-0-bio": "Spécialiste de la démocratie participative.",
            "intervenants-0-ordre": "0",
        },
        **_ressource("Le site de la revue", url="https://www.example.org/participations"),
    )

    response = client_equipe.post(reverse("admin:seances_seance_add"), donnees)

    assert response.status_code == 302
    seance = Seance.objects.get()
    assert (seance.numero, seance.date, seance.heure_fin) == (
        1,
        datetime.date(2021, 7, 8),
        datetime.time(16, 30),
    )
    assert list(seance.intervenants.values_list("nom", flat=True)) == ["Loïc Blondiaux"]
    assert list(seance.ressources.values_list("titre", "url")) == [
        ("Le site de la revue", "https://www.example.org/participations")
    ]


def test_admin_note_de_contexte_nettoyee_a_l_enregistrement(client_equipe, cycle):
    note = (
        '<p onclick="voler()">Avant la séance, lisez ceci.</p>'
        "<script>alert('piège')</script>"
        '<ul><li><a href="javascript:alert(1)">un lien piégé</a></li>'
        '<li><a href="https://www.example.org">un vrai lien</a></li></ul>'
    )

    response = client_equipe.post(
        reverse("admin:seances_seance_add"), _donnees(cycle, note_contexte=note)
    )

    assert response.status_code == 302
    assert Seance.objects.get().note_contexte == (
        "<p>Avant la séance, lisez ceci.</p>"
        '<ul><li><a rel="noopener noreferrer nofollow">un lien piégé</a></li>'
        '<li><a href="https://www.example.org" rel="noopener noreferrer nofollow">'
        "un vrai lien</a></li></ul>"
    )


def test_admin_fin_avant_le_debut_refusee(client_equipe, cycle):
    response = client_equipe.post(
        reverse("admin:seances_seance_add"), _donnees(cycle, heure_fin="09:00")
    )

    assert response.status_code == 200
    assert "La séance doit finir après avoir commencé." in response.content.decode()
    assert not Seance.objects.exists()


# --- Resources ------------------------------------------------------------------------------


def test_admin_ressource_lien_et_fichier_refusee(client_equipe, cycle):
    donnees = _donnees(cycle, **_ressource(url="https://www.example.org/fiche", fichier=_pdf()))

    response = client_equipe.post(reverse("admin:seances_seance_add"), donnees)

    assert response.status_code == 200
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "ressources"
    ]
    assert formset.forms[0].non_field_errors() == [
        "Une ressource est soit un lien, soit un fichier, pas les deux : videz le lien ou "
        "retirez le fichier."
    ]
    assert not Seance.objects.exists()
    assert not Ressource.objects.exists()


def test_admin_ressource_ni_lien_ni_fichier_refusee(client_equipe, cycle):
    response = client_equipe.post(
        reverse("admin:seances_seance_add"), _donnees(cycle, **_ressource())
    )

    assert response.status_code == 200
    assert "Indiquez un lien ou joignez un fichier." in response.content.decode()
    assert not Seance.objects.exists()


@pytest.mark.parametrize(
    ("fichier", "message"),
    [
        (
            SimpleUploadedFile("script.exe", b"MZ\x90\x00", "application/octet-stream"),
            "Le fichier « script.exe » n&#x27;est pas d&#x27;un format accepté.",
        ),
        (
            SimpleUploadedFile("notes.txt", b"quelques notes", "text/plain"),
            "Le fichier « notes.txt » n&#x27;est pas d&#x27;un format accepté.",
        ),
        (
            SimpleUploadedFile("diaporama.pptx", b"MZ\x90\x00 pas un diaporama"),
            "Le contenu du fichier « diaporama.pptx » ne correspond pas à un document PPTX",
        ),
        (
            SimpleUploadedFile("faux.pdf", b"MZ\x90\x00 un programme", "application/pdf"),
            "c&#x27;est un programme, quel que soit son nom.",
        ),
    ],
)
def test_admin_ressource_format_refuse(client_equipe, cycle, fichier, message):
    response = client_equipe.post(
        reverse("admin:seances_seance_add"), _donnees(cycle, **_ressource(fichier=fichier))
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ressource.objects.exists()


@pytest.mark.parametrize("fichier", [_pdf, _pptx], ids=["pdf", "pptx"])
def test_admin_ressource_fichier_accepte_et_page_de_modification(client_equipe, cycle, fichier):
    envoye = fichier()

    response = client_equipe.post(
        reverse("admin:seances_seance_add"),
        _donnees(cycle, **_ressource("Diaporama de la matinée", fichier=envoye)),
    )

    assert response.status_code == 302
    ressource = Ressource.objects.get()
    assert ressource.url == ""
    assert ressource.fichier.name.endswith(envoye.name)
    # The stored private file has no public address: the page links to the checked view.
    page = client_equipe.get(reverse("admin:seances_seance_change", args=[ressource.seance_id]))
    assert page.status_code == 200
    assert reverse("seances:ressource", args=[ressource.pk]) in page.content.decode()


# --- Host and speakers limited to the session -----------------------------------------------


def test_admin_hote_parmi_les_binomes_du_cycle_de_la_seance(client_equipe, cycle):
    seance = SeanceFactory(cycle=cycle, numero=1)
    du_cycle = binome_complet(cycle)
    autre_cycle = binome_complet(CycleFactory(statut="en_cours"))
    url = reverse("admin:seances_seance_change", args=[seance.pk])

    page = client_equipe.get(url)
    refus = client_equipe.post(url, _donnees(cycle, hote=str(autre_cycle.pk)))
    accord = client_equipe.post(url, _donnees(cycle, hote=str(du_cycle.pk)))

    assert list(page.context["adminform"].form.fields["hote"].queryset) == [du_cycle]
    assert refus.status_code == 200
    assert refus.context["adminform"].form.errors["hote"]
    assert accord.status_code == 302
    seance.refresh_from_db()
    assert seance.hote == du_cycle


def test_admin_hote_d_un_autre_cycle_refuse_si_le_cycle_change(client_equipe, cycle):
    seance = SeanceFactory(cycle=cycle, numero=1)
    hote = binome_complet(cycle)
    autre = CycleFactory(statut="en_cours")

    response = client_equipe.post(
        reverse("admin:seances_seance_change", args=[seance.pk]),
        _donnees(autre, hote=str(hote.pk)),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hote"] == [
        "La collectivité hôte doit faire partie du cycle de la séance."
    ]
    seance.refresh_from_db()
    assert (seance.cycle, seance.hote) == (cycle, None)


def test_admin_programme_intervenant_de_la_seance_seulement(client_equipe, cycle):
    seance = SeanceFactory(cycle=cycle, numero=1)
    intervenant = IntervenantFactory(seance=seance, nom="Jo Spiegel")
    ailleurs = IntervenantFactory(seance=SeanceFactory(cycle=cycle, numero=2))
    url = reverse("admin:seances_seance_change", args=[seance.pk])
    programme = {
        "intervenants-TOTAL_FORMS": "1",
        "intervenants-INITIAL_FORMS": "1",
        "intervenants-0-id": str(intervenant.pk),
        "intervenants-0-seance": str(seance.pk),
        "intervenants-0-nom": intervenant.nom,
        "intervenants-0-ordre": "0",
        "programme-TOTAL_FORMS": "1",
        "programme-0-heure_debut": "09:45",
        "programme-0-heure_fin": "11:00",
        "programme-0-titre": "Vitalité démocratique",
        "programme-0-format": FormatProgramme.APPORT,
    }

    refus = client_equipe.post(
        url, _donnees(cycle, **programme, **{"programme-0-intervenant": str(ailleurs.pk)})
    )
    accord = client_equipe.post(
        url, _donnees(cycle, **programme, **{"programme-0-intervenant": str(intervenant.pk)})
    )

    assert refus.status_code == 200
    assert "Sélectionnez un choix valide" in refus.content.decode()
    assert accord.status_code == 302
    assert list(PointProgramme.objects.values_list("titre", "intervenant")) == [
        ("Vitalité démocratique", intervenant.pk)
    ]
    assert Intervenant.objects.count() == 2


def test_admin_liste_des_seances_avec_liens(client_equipe, cycle):
    seance = SeanceFactory(cycle=cycle, numero=3, theme="Les communs")

    response = client_equipe.get(reverse("admin:seances_seance_changelist"))

    contenu = response.content.decode()
    assert list(response.context["cl"].result_list) == [seance]
    assert reverse("seances:seance", args=[seance.pk]) in contenu
    assert reverse("equipe_seances:seance", args=[cycle.slug, 3]) in contenu
    assert "Page de la séance" in contenu


# --- Settings -------------------------------------------------------------------------------


def test_admin_reglages_le_cycle_ne_change_plus(client_equipe, cycle):
    reglages = Reglages.objects.create(cycle=cycle)
    autre = CycleFactory()
    url = reverse("admin:seances_reglages_change", args=[reglages.pk])

    response = client_equipe.post(
        url,
        {
            "cycle": str(autre.pk),
            "note_contexte_jours": "10",
            "rappel_confirmation_jours": "5",
            "relance_evaluation_jours": "2",
            "attestation_seances_min": "4",
        },
    )

    assert response.status_code == 302
    reglages.refresh_from_db()
    assert (
        reglages.cycle,
        reglages.note_contexte_jours,
        reglages.rappel_confirmation_jours,
        reglages.relance_evaluation_jours,
        reglages.attestation_seances_min,
    ) == (cycle, 10, 5, 2, 4)
    ajout = client_equipe.get(reverse("admin:seances_reglages_add"))
    assert "cycle" in ajout.context["adminform"].form.fields


# --- Read-only admins -----------------------------------------------------------------------


def _lignes(cycle):
    seance = SeanceFactory(cycle=cycle, numero=1)
    binome = binome_complet(cycle)
    membre = binome.membres.get(role="elu")
    return {
        "confirmation": Confirmation.objects.create(
            seance=seance, membre=membre, reponse="present", matin=True
        ),
        "presence": Presence.objects.create(
            seance=seance, membre=membre, demi_journee="matin", statut="present"
        ),
        "question": Question.objects.create(
            seance=seance, auteur=membre, texte="Comment embarquer les services ?"
        ),
        "evaluation": Evaluation.objects.create(seance=seance, membre=membre, note=4),
        "attestation": Attestation.objects.create(
            cycle=cycle,
            type="personne",
            membre=membre,
            binome=binome,
            code="ABCD-EFGH-JKLM",
            titulaire=membre.user.nom_affiche,
            collectivite=str(binome),
            seances_presentes=5,
            seances_total=6,
            seances_min=5,
        ),
    }


@pytest.mark.parametrize(
    "modele", ["confirmation", "presence", "question", "evaluation", "attestation"]
)
def test_admin_en_lecture_seule(client_equipe, cycle, modele):
    objet = _lignes(cycle)[modele]
    classe = type(objet)

    liste = client_equipe.get(reverse(f"admin:seances_{modele}_changelist"))
    fiche = client_equipe.get(reverse(f"admin:seances_{modele}_change", args=[objet.pk]))
    ajout = client_equipe.get(reverse(f"admin:seances_{modele}_add"))
    envoi = client_equipe.post(reverse(f"admin:seances_{modele}_change", args=[objet.pk]), {})
    suppression = client_equipe.post(
        reverse(f"admin:seances_{modele}_delete", args=[objet.pk]), {"post": "yes"}
    )

    assert list(liste.context["cl"].result_list) == [objet]
    assert fiche.status_code == 200
    assert 'name="_save"' not in fiche.content.decode()
    assert (ajout.status_code, envoi.status_code, suppression.status_code) == (403, 403, 403)
    assert list(classe.objects.all()) == [objet]


def test_admin_attestation_recherche_par_code(client_equipe, cycle):
    attestation = _lignes(cycle)["attestation"]
    Attestation.objects.create(
        cycle=cycle,
        type="collectivite",
        binome=attestation.binome,
        code="WXYZ-2345-6789",
        titulaire=attestation.collectivite,
        collectivite=attestation.collectivite,
        seances_presentes=6,
        seances_total=6,
        seances_min=5,
    )

    response = client_equipe.get(
        reverse("admin:seances_attestation_changelist"), {"q": "ABCD-EFGH"}
    )

    assert list(response.context["cl"].result_list) == [attestation]


def test_admin_fiche_avec_fichier_stocke(client_equipe, cycle):
    seance = SeanceFactory(cycle=cycle, numero=1)
    ressource = Ressource(seance=seance, titre="Compte rendu", ordre=1)
    ressource.fichier.save("compte-rendu.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    response = client_equipe.get(reverse("admin:seances_seance_change", args=[seance.pk]))

    contenu = response.content.decode()
    assert response.status_code == 200
    assert "compte-rendu.pdf" in contenu
    assert f'href="{reverse("seances:ressource", args=[ressource.pk])}"' in contenu
