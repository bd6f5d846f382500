import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _cache_vide():
    # Rate limits live in the cache; on Redis they would outlive the run (a second run within
    # minutes would find the first one's counters) and leak from one test into the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reglages_de_test(settings, tmp_path):
    # Each test writes its files in its own folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "prive"


@pytest.fixture
def utilisateur(db):
    return UserFactory()


@pytest.fixture
def equipe(db):
    return UserFactory(is_staff=True, is_superuser=True, email="equipe@cerdd.test")
