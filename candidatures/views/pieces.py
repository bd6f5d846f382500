"""Views: see candidatures/urls*.py."""
