import pytest
from django.core.exceptions import ImproperlyConfigured

from apprenance.settings import email_settings, env_bool, env_int


def test_email_url_configures_smtp_with_tls():
    config = email_settings("smtp+tls://alerte%40asso.fr:s%C3%A9cret@smtp.exemple.fr:587")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["EMAIL_HOST"] == "smtp.exemple.fr"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "alerte@asso.fr"
    assert config["EMAIL_HOST_PASSWORD"] == "sécret"
    assert config["EMAIL_USE_TLS"] is True


def test_email_url_defaults_to_the_console():
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_unknown_email_scheme_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        email_settings("pigeon://colombier")


def test_typed_environment_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("DEBUG")
    monkeypatch.setenv("DEBUG", "yes")
    assert env_bool("DEBUG") is True
    monkeypatch.setenv("INVITATION_VALID_DAYS", "quinze")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("INVITATION_VALID_DAYS", 14)
