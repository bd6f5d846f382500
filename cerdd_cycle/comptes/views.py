from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .services import adresse_choix_mot_de_passe, invitation_ouvrir


@require_safe
def invitation(request, jeton):
    user = invitation_ouvrir(jeton)
    if user is None:
        return render(request, "comptes/invitation_invalide.html", status=404)
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accueil")
    if user.has_usable_password():
        messages.info(
            request,
            _("Votre compte existe déjà : connectez-vous avec l'adresse %(email)s.")
            % {"email": user.email},
        )
        return redirect(reverse("account_login"))
    return redirect(adresse_choix_mot_de_passe(user))
