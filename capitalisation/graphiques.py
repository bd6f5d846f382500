"""Charts of the report (being written)."""


def presences(seances):
    return ""


def evaluations(seances):
    return ""


def autodiagnostic(synthese):
    return ""
