"""The deletion request: the person asks, staff erase (every layer's hook) or refuse."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.models import Acces, Candidature
from cerdd_cycle.comptes.donnees import DOMAINE_SUPPRIME, suppression_demander
from cerdd_cycle.comptes.models import DemandeSuppression, User
from cerdd_cycle.courriels.models import Courriel
from cerdd_cycle.historique.models import Historique
from journal.models import Element, Entree
from seances.models import Attestation, Confirmation, Presence, Question
from tests.factories import (
    MOT_DE_PASSE,
    CandidatureDeposeeFactory,
    DecisionFactory,
    ElementFactory,
    EntreeFactory,
    SeanceFactory,
    UserFactory,
    binome_complet,
)

pytestmark = pytest.mark.django_db


def test_demander_enregistre_accuse_et_previent_l_equipe(client, utilisateur, equipe):
    client.force_login(utilisateur)
    assert client.get(reverse("donnees:demander")).status_code == 200

    reponse = client.post(reverse("donnees:demander"), {"motif": "Je quitte la collectivité."})

    demande = DemandeSuppression.objects.get(user=utilisateur)
    assert reponse["Location"] == reverse("donnees:demande", args=[demande.pk])
    assert demande.statut == "en_attente" and demande.motif == "Je quitte la collectivité."
    accuse = Courriel.objects.get(cle=f"rgpd-accuse:{demande.pk}")
    assert accuse.destinataires == [utilisateur.email]
    assert "bien reçu" in accuse.texte
    alerte = Courriel.objects.get(cle=f"rgpd-equipe:{demande.pk}")
    assert alerte.destinataires == [equipe.email]
    assert reverse("equipe_donnees:demande", args=[demande.pk]) in alerte.texte
    page = client.get(reverse("donnees:demande", args=[demande.pk])).content.decode()
    assert "En attente" in page


def test_une_seconde_demande_reutilise_celle_en_attente(client, utilisateur):
    client.force_login(utilisateur)
    client.post(reverse("donnees:demander"), {"motif": ""})

    reponse = client.post(reverse("donnees:demander"), {"motif": "Encore"}, follow=True)

    assert DemandeSuppression.objects.filter(user=utilisateur).count() == 1
    assert "déjà une demande en attente" in reponse.content.decode()
    assert Courriel.objects.filter(cle__startswith="rgpd-accuse:").count() == 1


def test_la_demande_d_un_autre_repond_404(client, utilisateur):
    demande, _cree = suppression_demander(UserFactory())
    client.force_login(utilisateur)

    assert client.get(reverse("donnees:demande", args=[demande.pk])).status_code == 404


def test_une_personne_anonyme_va_a_la_connexion(client):
    reponse = client.post(reverse("donnees:demander"), {"motif": "x"})

    assert reponse["Location"].startswith(reverse("account_login"))
    assert not DemandeSuppression.objects.exists()


def test_les_pages_de_l_equipe_sont_fermees_aux_autres(client, utilisateur):
    demande, _cree = suppression_demander(utilisateur)
    client.force_login(utilisateur)

    assert client.get(reverse("equipe_donnees:demandes")).status_code == 404
    url = reverse("equipe_donnees:demande", args=[demande.pk])
    assert client.post(url, {"action": "traiter"}).status_code == 404
    utilisateur.refresh_from_db()
    assert utilisateur.is_active


@pytest.fixture
def participante():
    """The élue of a retained pair, who also owns a candidature not retained elsewhere."""
    binome = binome_complet(CandidatureDeposeeFactory().cycle)
    DecisionFactory(candidature=binome.candidature, statut="retenue")
    membre = binome.membres.get(role="elu")
    user = membre.user
    seance = SeanceFactory(cycle=binome.cycle, numero=1, date=datetime.date(2026, 3, 1))
    entree = EntreeFactory(membre=membre, seance=seance, notes="Notes privées")
    ElementFactory(entree=entree, texte="Privé", audience="prive")
    ElementFactory(entree=entree, texte="Pour le binôme", audience="binome")
    ElementFactory(entree=entree, texte="Partagé", audience="groupe")
    Confirmation.objects.create(seance=seance, membre=membre, reponse="present", regimes=["sans"])
    Presence.objects.create(seance=seance, membre=membre, demi_journee="matin", statut="present")
    Question.objects.create(seance=seance, auteur=membre, texte="Question ?")
    Attestation.objects.create(
        cycle=binome.cycle,
        type="personne",
        membre=membre,
        binome=binome,
        code="TEST-SUPP-0001",
        titulaire=str(user),
        collectivite="Commune",
        seances_presentes=1,
        seances_total=1,
        seances_min=1,
    )
    non_retenue = CandidatureDeposeeFactory(proprietaire=user, contact_nom="Élue Test")
    Acces.objects.create(candidature=binome.candidature, email=user.email, user=user)
    return {"user": user, "membre": membre, "binome": binome, "non_retenue": non_retenue}


def test_l_equipe_supprime_les_donnees(client, equipe, participante):
    user = participante["user"]
    adresse = user.email
    demande, _cree = suppression_demander(user, "Raison")
    client.force_login(equipe)
    url = reverse("equipe_donnees:demande", args=[demande.pk])
    assert "Raison" in client.get(url).content.decode()

    reponse = client.post(url, {"action": "traiter"})

    assert reponse.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.email.endswith(f"@{DOMAINE_SUPPRIME}") and user.email != adresse
    assert (user.first_name, user.last_name, user.is_active) == ("", "", False)
    assert not user.has_usable_password()
    assert not user.groups.exists()
    assert not client.login(email=adresse, password=MOT_DE_PASSE)
    # Every layer: the candidature not retained is anonymised, the retained one kept.
    assert Candidature.objects.get(pk=participante["non_retenue"].pk).anonymisee_le is not None
    assert Candidature.objects.get(pk=participante["binome"].candidature_id).anonymisee_le is None
    assert not Acces.objects.filter(user=user).exists()
    membre = participante["membre"]
    assert list(Element.objects.filter(entree__membre=membre).values_list("texte", "audience")) == [
        ("Partagé", "groupe_anonyme")
    ]
    assert Entree.objects.get(membre=membre).notes == ""
    assert not Question.objects.filter(auteur=membre).exists()
    assert Confirmation.objects.get(membre=membre).regimes == []
    # What the cycle must keep stays.
    assert Presence.objects.filter(membre=membre).exists()
    assert Attestation.objects.filter(membre=membre).exists()
    demande.refresh_from_db()
    assert demande.statut == "traitee" and demande.motif == "" and demande.traitee_par == equipe
    audit = Historique.objects.get(action="suppression", object_id=str(demande.pk))
    assert audit.acteur == equipe and audit.apres["compte_anonymise"] == 1
    # The acknowledgement (to the old address) is gone; one last message tells it is done.
    assert not Courriel.objects.filter(cle=f"rgpd-accuse:{demande.pk}").exists()
    assert Courriel.objects.get(cle=f"rgpd-traitee:{demande.pk}").destinataires == [adresse]
    # Staff's notice named the person: it goes as well.
    assert not Courriel.objects.filter(cle=f"rgpd-equipe:{demande.pk}").exists()


def test_refuser_demande_une_raison(client, equipe, utilisateur):
    demande, _cree = suppression_demander(utilisateur)
    client.force_login(equipe)
    url = reverse("equipe_donnees:demande", args=[demande.pk])

    vide = client.post(url, {"action": "refuser", "reponse": "  "})

    assert vide.status_code == 400
    assert "Dites à la personne pourquoi" in vide.content.decode()
    demande.refresh_from_db()
    assert demande.statut == "en_attente"

    client.post(url, {"action": "refuser", "reponse": "Une candidature est en cours d'examen."})

    demande.refresh_from_db()
    assert demande.statut == "refusee" and demande.traitee_par == equipe
    refus = Courriel.objects.get(cle=f"rgpd-refus:{demande.pk}")
    assert "en cours d'examen" in refus.texte and refus.destinataires == [utilisateur.email]
    utilisateur.refresh_from_db()
    assert utilisateur.is_active
    # Processed once: a second action is refused with a French message.
    reponse = client.post(url, {"action": "traiter"}, follow=True)
    assert "déjà été traitée" in reponse.content.decode()
    utilisateur.refresh_from_db()
    assert utilisateur.is_active


def test_l_equipe_ne_traite_pas_sa_propre_demande(client, equipe):
    demande, _cree = suppression_demander(equipe)
    client.force_login(equipe)

    reponse = client.post(
        reverse("equipe_donnees:demande", args=[demande.pk]), {"action": "traiter"}, follow=True
    )

    assert "Une autre personne de" in reponse.content.decode()
    equipe.refresh_from_db()
    assert equipe.is_active
    demande.refresh_from_db()
    assert demande.statut == "en_attente" and demande.traitee_le is None


def test_une_nouvelle_demande_apres_un_refus(utilisateur, equipe):
    from cerdd_cycle.comptes.donnees import suppression_refuser

    premiere, _cree = suppression_demander(utilisateur)
    suppression_refuser(premiere, equipe, "Non.")

    seconde, creee = suppression_demander(utilisateur)

    assert creee and seconde.pk != premiere.pk
    assert timezone.now() >= seconde.cree_le


def test_avec_une_demande_en_attente_le_formulaire_mene_a_elle(client, utilisateur):
    # No form to fill in again: a reason typed there would be thrown away.
    client.force_login(utilisateur)
    demande, _creee = suppression_demander(utilisateur, "Première raison")

    reponse = client.get(reverse("donnees:demander"))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("donnees:demande", args=[demande.pk])


def test_mes_donnees_mene_l_equipe_aux_demandes(client, utilisateur, equipe):
    lien = reverse("equipe_donnees:demandes")
    client.force_login(equipe)
    assert lien in client.get(reverse("donnees:accueil")).content.decode()
    client.force_login(utilisateur)
    assert lien not in client.get(reverse("donnees:accueil")).content.decode()


def test_un_courriel_reserve_mais_pas_parti_est_supprime_pas_masque(utilisateur):
    from cerdd_cycle.comptes.donnees import courriels_anonymiser
    from cerdd_cycle.courriels.models import EtatCourriel

    for cle, etat in (("a", EtatCourriel.A_ENVOYER), ("b", EtatCourriel.EN_COURS)):
        Courriel.objects.create(cle=cle, destinataires=[utilisateur.email], sujet="s", etat=etat)
    parti = Courriel.objects.create(
        cle="c", destinataires=[utilisateur.email], sujet="s", etat=EtatCourriel.ENVOYE
    )

    assert courriels_anonymiser(Courriel.objects.all()) == 3

    # The sweep would otherwise take the claimed row over and « send » it to nobody.
    assert list(Courriel.objects.values_list("cle", flat=True)) == ["c"]
    parti.refresh_from_db()
    assert parti.destinataires == []
