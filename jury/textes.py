"""Default texts of the decision emails and letters; staff edit them per cycle."""

from django.utils.translation import gettext_lazy as _

from .enums import StatutDecision

MODELES_PAR_DEFAUT = {
    StatutDecision.RETENUE: (
        _("{cycle} : votre candidature est retenue"),
        _(
            "Madame, Monsieur,\n\n"
            "La cellule d'orientation s'est réunie et nous avons le plaisir de vous annoncer que "
            "la candidature de {collectivite} est retenue pour le cycle « {cycle} ».\n\n"
            "La première journée aura lieu le {premiere_seance}. Votre binôme élu·e / "
            "technicien·ne recevra dans les prochains jours une invitation pour créer son accès "
            "à l'espace des participant·es : le programme, les notes de contexte et le journal "
            "de bord s'y trouvent.\n\n"
            "Nous nous réjouissons de travailler avec vous.\n\n"
            "L'équipe du {porteur}\n{contact}"
        ),
    ),
    StatutDecision.ATTENTE: (
        _("{cycle} : votre candidature est sur liste d'attente"),
        _(
            "Madame, Monsieur,\n\n"
            "La cellule d'orientation a examiné la candidature de {collectivite}. Toutes les "
            "places du cycle « {cycle} » sont attribuées, mais votre candidature figure sur la "
            "liste d'attente, au rang {rang_attente}.\n\n"
            "Ce qui a guidé cette décision : {motif}\n\n"
            "Si une place se libère avant la première journée ({premiere_seance}), nous vous "
            "appellerons aussitôt. Dans tous les cas, vous êtes invité·es aux rencontres "
            "régionales ouvertes à toutes les collectivités, et notre centre de ressources reste "
            "à votre disposition pour échanger sur vos projets.\n\n"
            "L'équipe du {porteur}\n{contact}"
        ),
    ),
    StatutDecision.NON_RETENUE: (
        _("{cycle} : réponse à votre candidature"),
        _(
            "Madame, Monsieur,\n\n"
            "La cellule d'orientation a examiné avec attention la candidature de {collectivite} "
            "au cycle « {cycle} ». Nous sommes au regret de vous dire qu'elle n'a pas été "
            "retenue.\n\n"
            "Ce qui a guidé cette décision : {motif}\n\n"
            "Votre démarche nous intéresse et le {porteur} peut vous accompagner autrement : "
            "les rencontres régionales et les webinaires sur la participation citoyenne vous "
            "sont ouverts, nos ressources (guides, retours d'expérience) sont en libre accès, et "
            "nous pouvons vous mettre en relation avec des collectivités qui ont mené des "
            "projets proches du vôtre. Une prochaine édition du cycle vous sera aussi "
            "annoncée.\n\n"
            "N'hésitez pas à nous contacter pour en parler.\n\n"
            "L'équipe du {porteur}\n{contact}"
        ),
    ),
}
