"""URL conf of the load run (``bench/reglages.py``): the project's, and each page's floor
(``bench/plancher.py``), last so that the pages resolve exactly as in production."""

from django.urls import path

from bench.plancher import vue_plancher
from cerdd_cycle.urls import urlpatterns as urlpatterns_projet

urlpatterns = [
    *urlpatterns_projet,
    path("__bench__/plancher/<int:rang>/", vue_plancher, name="bench_plancher"),
]
