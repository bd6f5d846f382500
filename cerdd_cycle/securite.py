"""Security headers Django does not set itself: a Content-Security-Policy without inline code,
a Permissions-Policy and a Cross-Origin-Opener-Policy.

The policies live in settings (``CSP_POLITIQUE``, ``PERMISSIONS_POLITIQUE``) so a deployment
can adjust them. A response that already carries a policy (a reserved file answered with
``sandbox``) keeps its own. The Django admin runs under the same policy: its pages keep their
scripts in static files and set styles from them, which CSP allows.
"""

from django.conf import settings


class EntetesSecuriteMiddleware:
    """Placed right after SecurityMiddleware, so every answer (errors and static files
    included) gets the headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        if settings.DEBUG and reponse.status_code in (404, 500):
            # Django's technical error pages (development only) are made of inline style and
            # script: under the policy they would be unreadable.
            return reponse
        if settings.CSP_POLITIQUE:
            reponse.setdefault("Content-Security-Policy", settings.CSP_POLITIQUE)
        if settings.PERMISSIONS_POLITIQUE:
            reponse.setdefault("Permissions-Policy", settings.PERMISSIONS_POLITIQUE)
        reponse.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return reponse
