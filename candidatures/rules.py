"""Who may do what on a candidature, beyond opening it (``selectors.candidatures_de``)."""

import rules


@rules.predicate
def est_titulaire(user, candidature):
    """Only the account that started a candidature manages who else may edit it."""
    return candidature is not None and candidature.proprietaire_id == user.pk


rules.add_perm("candidatures.gerer_coedition", est_titulaire)
