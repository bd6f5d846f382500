"""Accounts created for someone else: a juror named by staff, a participant of a pair.

The person gets an invitation link; opening it proves the address is theirs (it is marked
verified) and leads to allauth's own page to choose a password. Someone who already has an
account simply logs in: the same link works for both.
"""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse

SEL_INVITATION = "comptes.invitation"
# An invitation link stays valid this long; after that, « mot de passe oublié » still works.
DUREE_INVITATION = 60 * 60 * 24 * 30


def compte_inviter(email, *, prenom="", nom="") -> tuple[object, bool]:
    """The account of ``email``, created without password if it does not exist yet."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            champs = []
            if prenom and not user.first_name:
                user.first_name, champs = prenom, [*champs, "first_name"]
            if nom and not user.last_name:
                user.last_name, champs = nom, [*champs, "last_name"]
            if champs:
                user.save(update_fields=champs)
            return user, False
        user = User.objects.create_user(email, None, first_name=prenom, last_name=nom)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user, True


def lien_invitation(user) -> str:
    """The absolute link of the invitation email."""
    jeton = signing.dumps({"u": user.pk, "e": user.email}, salt=SEL_INVITATION)
    return settings.SITE_URL + reverse("invitation", args=[jeton])


def invitation_ouvrir(jeton):
    """The invited user, with their address now verified; None if the link is wrong or old."""
    try:
        donnees = signing.loads(jeton, salt=SEL_INVITATION, max_age=DUREE_INVITATION)
    except signing.BadSignature:
        return None
    user = (
        get_user_model()
        .objects.filter(pk=donnees.get("u"), email__iexact=donnees.get("e", ""), is_active=True)
        .first()
    )
    if user is None:
        return None
    adresse, _cree = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not adresse.verified:
        adresse.verified = True
        adresse.save(update_fields=["verified"])
    return user


def adresse_choix_mot_de_passe(user) -> str:
    """allauth's « choose a password » page for ``user`` (its reset-from-key URL), with a key
    from allauth's own generator: Django's would be refused (allauth's hashes the addresses)."""
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
