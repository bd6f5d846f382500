import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidatures.models import stockage_prive
from cerdd_cycle.cycles.models import Cycle

from .enums import (
    DemiJournee,
    FormatProgramme,
    ReponseConfirmation,
    RoleMembre,
    SourcePresence,
    StatutPresence,
    TypeAttestation,
)


class Reglages(models.Model):
    """How the sessions of a cycle run: the delays of the sweeps and the attestation rule."""

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, related_name="reglages_seances", verbose_name=_("cycle")
    )
    note_contexte_jours = models.PositiveSmallIntegerField(
        _("envoi de la note de contexte (jours avant)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    rappel_confirmation_jours = models.PositiveSmallIntegerField(
        _("relance des binômes incomplets (jours avant)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    relance_evaluation_jours = models.PositiveSmallIntegerField(
        _("relance de l'évaluation (jours après)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    attestation_seances_min = models.PositiveSmallIntegerField(
        _("séances requises pour l'attestation"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Nombre de séances où la personne (ou la collectivité) a été relevée présente."
        ),
    )

    class Meta:
        verbose_name = _("réglages des séances")
        verbose_name_plural = _("réglages des séances")

    def __str__(self):
        return str(_("Réglages des séances – %(cycle)s") % {"cycle": self.cycle})


class Seance(models.Model):
    """One day of the cycle."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="seances", verbose_name=_("cycle")
    )
    numero = models.PositiveSmallIntegerField(_("numéro"))
    date = models.DateField(_("date"))
    heure_debut = models.TimeField(_("début"), default=datetime.time(9, 30))
    heure_fin = models.TimeField(_("fin"), default=datetime.time(16, 30))
    theme = models.CharField(_("thème"), max_length=250)
    lieu = models.CharField(_("lieu"), max_length=200, blank=True)
    adresse = models.CharField(_("adresse"), max_length=300, blank=True)
    hote = models.ForeignKey(
        "Binome",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seances_accueillies",
        verbose_name=_("collectivité hôte"),
        help_text=_("Une collectivité du cycle qui accueille la séance, le cas échéant."),
    )
    fin_matinee = models.TimeField(
        _("fin de la matinée"),
        default=datetime.time(12, 30),
        help_text=_("Sépare les deux demi-journées pour l'émargement et le pointage."),
    )
    note_contexte = models.TextField(
        _("note de contexte"),
        blank=True,
        help_text=_("Texte mis en forme (titres, listes, liens), envoyé avant la séance."),
    )
    questions_jusqua = models.DateTimeField(
        _("questions pour l'intervenant·e jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Heure de Paris. Vide : jusqu'à la veille de la séance à midi."),
    )
    couverts_supplementaires = models.PositiveSmallIntegerField(
        _("couverts en plus des participant·es"),
        default=0,
        help_text=_("Équipe du Cerdd, intervenant·es, invité·es."),
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["cycle", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "numero"], name="seance_numero_unique"),
            models.CheckConstraint(
                condition=models.Q(heure_fin__gt=models.F("heure_debut")),
                name="seance_fin_apres_debut",
                violation_error_message=_("La séance doit finir après avoir commencé."),
            ),
        ]

    def __str__(self):
        return _("Séance %(numero)s – %(theme)s") % {"numero": self.numero, "theme": self.theme}

    @property
    def debut(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.heure_debut, tzinfo=_paris())

    @property
    def fin(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.heure_fin, tzinfo=_paris())

    @property
    def limite_questions(self) -> datetime.datetime:
        if self.questions_jusqua:
            return self.questions_jusqua
        veille = self.date - datetime.timedelta(days=1)
        return datetime.datetime.combine(veille, datetime.time(12), tzinfo=_paris())


def _paris():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


class PointProgramme(models.Model):
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="programme", verbose_name=_("séance")
    )
    heure_debut = models.TimeField(_("début"))
    heure_fin = models.TimeField(_("fin"), null=True, blank=True)
    titre = models.CharField(_("titre"), max_length=250)
    format = models.CharField(_("format"), max_length=24, choices=FormatProgramme.choices)
    description = models.TextField(_("description"), blank=True)
    intervenant = models.ForeignKey(
        "Intervenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points",
        verbose_name=_("intervenant·e"),
    )

    class Meta:
        verbose_name = _("point du programme")
        verbose_name_plural = _("programme")
        ordering = ["seance", "heure_debut"]

    def __str__(self):
        return f"{self.heure_debut:%H:%M} {self.titre}"


def _chemin_ressource(instance, nom):
    return f"seances/{instance.seance_id}/{secrets.token_hex(8)}/{nom}"


class Ressource(models.Model):
    """A link or a file given to the participants of a session."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="ressources", verbose_name=_("séance")
    )
    titre = models.CharField(_("titre"), max_length=250)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    fichier = models.FileField(
        _("fichier"),
        storage=stockage_prive,
        upload_to=_chemin_ressource,
        max_length=300,
        blank=True,
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["seance", "ordre", "titre"]
        constraints = [
            models.CheckConstraint(
                condition=(~models.Q(url="") & models.Q(fichier=""))
                | (models.Q(url="") & ~models.Q(fichier="")),
                name="ressource_lien_ou_fichier",
                violation_error_message=_("Une ressource est soit un lien, soit un fichier."),
            ),
        ]

    def __str__(self):
        return self.titre


class Intervenant(models.Model):
    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="intervenants", verbose_name=_("séance")
    )
    nom = models.CharField(_("nom"), max_length=150)
    qualite = models.CharField(_("qualité"), max_length=250, blank=True)
    bio = models.TextField(_("courte présentation"), blank=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("intervenant·e")
        verbose_name_plural = _("intervenant·es")
        ordering = ["seance", "ordre", "nom"]

    def __str__(self):
        return self.nom


class Binome(models.Model):
    """A retained collectivity in the cycle: its elected official, its technician, and their
    substitutes (``Membre``)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="binomes", verbose_name=_("cycle")
    )
    candidature = models.OneToOneField(
        "candidatures.Candidature",
        on_delete=models.PROTECT,
        related_name="binome",
        verbose_name=_("candidature retenue"),
    )
    ouvert_le = models.DateTimeField(_("ouvert le"), auto_now_add=True)

    class Meta:
        verbose_name = _("binôme")
        verbose_name_plural = _("binômes")
        ordering = ["cycle", "candidature__territoire__nom", "candidature__structure_nom"]

    def __str__(self):
        return str(self.candidature.nom_collectivite)


class Membre(models.Model):
    """A person of a pair: a holder of the seat or a substitute. Replaced members stay, marked
    inactive, so that the history of the pair reads from these rows."""

    binome = models.ForeignKey(
        Binome, on_delete=models.CASCADE, related_name="membres", verbose_name=_("binôme")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="membres_binome",
        verbose_name=_("personne"),
    )
    role = models.CharField(_("rôle"), max_length=12, choices=RoleMembre.choices)
    suppleant = models.BooleanField(_("suppléant·e"), default=False)
    fonction = models.CharField(_("mandat ou poste"), max_length=200, blank=True)
    actif = models.BooleanField(_("actif·ve"), default=True)
    depuis = models.DateTimeField(_("depuis"), auto_now_add=True)
    jusqua = models.DateTimeField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("membre d'un binôme")
        verbose_name_plural = _("membres des binômes")
        ordering = ["binome", "suppleant", "role", "depuis"]
        constraints = [
            # One holder per seat at a time; substitutes are not limited.
            models.UniqueConstraint(
                fields=["binome", "role"],
                condition=models.Q(actif=True, suppleant=False),
                name="membre_un_titulaire_par_role",
                violation_error_message=_("Ce binôme a déjà un·e titulaire pour ce rôle."),
            ),
        ]

    def __str__(self):
        return f"{self.user.nom_affiche} ({self.get_role_display()})"


class ReponseBesoins(models.Model):
    """A participant's answers to the survey of needs, before the first session."""

    membre = models.OneToOneField(
        Membre, on_delete=models.CASCADE, related_name="besoins", verbose_name=_("membre")
    )
    themes = models.JSONField(_("thèmes attendus"), default=list, blank=True)
    attentes = models.TextField(_("attentes"), blank=True)
    projet = models.TextField(_("projet de participation en cours"), blank=True)
    difficultes = models.TextField(_("difficultés rencontrées"), blank=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("réponse au questionnaire des besoins")
        verbose_name_plural = _("réponses au questionnaire des besoins")

    def __str__(self):
        return str(self.membre)


class Confirmation(models.Model):
    """A person's answer before a session: coming (which half-days), excused, or replaced."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("séance")
    )
    membre = models.ForeignKey(
        Membre, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("membre")
    )
    reponse = models.CharField(_("réponse"), max_length=12, choices=ReponseConfirmation.choices)
    matin = models.BooleanField(_("le matin"), default=False)
    apres_midi = models.BooleanField(_("l'après-midi"), default=False)
    remplacant = models.ForeignKey(
        Membre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remplacements",
        verbose_name=_("remplacé·e par"),
    )
    dejeuner = models.BooleanField(_("déjeune sur place"), default=False)
    regimes = models.JSONField(_("contraintes alimentaires"), default=list, blank=True)
    precisions_repas = models.CharField(_("précisions pour le repas"), max_length=300, blank=True)
    modifie_le = models.DateTimeField(_("répondu le"), auto_now=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(fields=["seance", "membre"], name="confirmation_unique"),
        ]

    def __str__(self):
        return f"{self.membre} – {self.get_reponse_display()}"


class Presence(models.Model):
    """Attendance recorded on the day, per person and half-day."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="presences", verbose_name=_("séance")
    )
    membre = models.ForeignKey(
        Membre, on_delete=models.CASCADE, related_name="presences", verbose_name=_("membre")
    )
    demi_journee = models.CharField(_("demi-journée"), max_length=12, choices=DemiJournee.choices)
    statut = models.CharField(_("statut"), max_length=12, choices=StatutPresence.choices)
    source = models.CharField(
        _("source"), max_length=8, choices=SourcePresence.choices, default=SourcePresence.EQUIPE
    )
    marque_le = models.DateTimeField(_("relevé le"), auto_now=True)
    marque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relevé par"),
    )

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(
                fields=["seance", "membre", "demi_journee"], name="presence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.membre} – {self.get_demi_journee_display()} – {self.get_statut_display()}"


class Question(models.Model):
    """A question for the speaker (reverse conference). Staff merge duplicates into one
    question and sort the rest into groups."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="questions", verbose_name=_("séance")
    )
    auteur = models.ForeignKey(
        Membre, on_delete=models.CASCADE, related_name="questions", verbose_name=_("posée par")
    )
    texte = models.TextField(_("question"), max_length=1000)
    cree_le = models.DateTimeField(_("posée le"), auto_now_add=True)
    doublon_de = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="doublons",
        verbose_name=_("fusionnée dans"),
    )
    groupe = models.CharField(_("groupe"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("question pour l'intervenant·e")
        verbose_name_plural = _("questions pour l'intervenant·e")
        ordering = ["seance", "groupe", "cree_le", "pk"]

    def __str__(self):
        return self.texte[:80]


class Evaluation(models.Model):
    """A participant's short evaluation of a session: a rating and the three columns of the
    post-it wall."""

    seance = models.ForeignKey(
        Seance, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("séance")
    )
    membre = models.ForeignKey(
        Membre, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("membre")
    )
    note = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    bien = models.TextField(_("c'est bien"), max_length=2000, blank=True)
    craint = models.TextField(_("ça craint"), max_length=2000, blank=True)
    demain = models.TextField(_("demain…"), max_length=2000, blank=True)
    soumise_le = models.DateTimeField(_("envoyée le"), auto_now=True)

    class Meta:
        verbose_name = _("évaluation de séance")
        verbose_name_plural = _("évaluations de séance")
        constraints = [
            models.UniqueConstraint(fields=["seance", "membre"], name="evaluation_unique"),
            models.CheckConstraint(
                condition=models.Q(note__gte=1, note__lte=5), name="evaluation_note_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.seance} – {self.membre}"


class AgendaPrive(models.Model):
    """The secret address of a person's calendar feed (.ics); renewing it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_prive",
        verbose_name=_("personne"),
    )
    jeton = models.CharField(_("jeton"), max_length=64, unique=True)
    cree_le = models.DateTimeField(_("créé le"), auto_now=True)

    class Meta:
        verbose_name = _("agenda privé")
        verbose_name_plural = _("agendas privés")

    def __str__(self):
        return str(self.user)


class Attestation(models.Model):
    """An attestation of participation, frozen when issued: what it says does not move if
    attendance is corrected afterwards (a new issue replaces it)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="attestations", verbose_name=_("cycle")
    )
    type = models.CharField(_("type"), max_length=12, choices=TypeAttestation.choices)
    membre = models.ForeignKey(
        Membre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attestations",
        verbose_name=_("personne"),
    )
    binome = models.ForeignKey(
        Binome,
        on_delete=models.PROTECT,
        related_name="attestations",
        verbose_name=_("collectivité"),
    )
    code = models.CharField(_("code de vérification"), max_length=20, unique=True)
    titulaire = models.CharField(_("titulaire"), max_length=250)
    collectivite = models.CharField(_("collectivité"), max_length=250)
    seances_presentes = models.PositiveSmallIntegerField(_("séances suivies"))
    seances_total = models.PositiveSmallIntegerField(_("séances du cycle"))
    seances_min = models.PositiveSmallIntegerField(_("séances requises"))
    delivree_le = models.DateTimeField(_("délivrée le"), auto_now_add=True)
    delivree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("délivrée par"),
    )

    class Meta:
        verbose_name = _("attestation de participation")
        verbose_name_plural = _("attestations de participation")
        ordering = ["cycle", "collectivite", "type", "titulaire"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "membre"],
                condition=models.Q(type="personne"),
                name="attestation_une_par_personne",
            ),
            models.UniqueConstraint(
                fields=["cycle", "binome"],
                condition=models.Q(type="collectivite"),
                name="attestation_une_par_collectivite",
            ),
            models.CheckConstraint(
                condition=models.Q(type="collectivite", membre__isnull=True)
                | models.Q(type="personne", membre__isnull=False),
                name="attestation_personne_ou_collectivite",
            ),
        ]

    def __str__(self):
        return f"{self.titulaire} ({self.code})"
