"""The authorization matrix builds its world once per module (see test_matrice_acces.py)."""

import pytest


@pytest.fixture(autouse=True)
def _reglages_de_test():
    # The world's files (attachments, resources) are written once for the whole module, in a
    # folder the module fixture sets; the per-test media folders of tests/conftest.py would
    # hide them.
    return None


@pytest.fixture
def db():
    # Shadows pytest-django's ``db`` here: asking for it still makes pytest-django create the
    # test database, but no test case wraps each test (its teardown would close the connection,
    # and with it the module's transaction that holds the world). ``monde`` gives each test its
    # own savepoint instead.
    return None
