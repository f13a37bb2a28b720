"""The webhook settings and the address rules, without a database."""

from __future__ import annotations

import ipaddress

import pytest

from service.config import ConfigError
from service.webhooks.addresses import Refused, check_address, check_url
from service.webhooks.settings import from_config

LOCAL = (ipaddress.ip_network("127.0.0.0/8"),)


def test_defaults():
    settings = from_config({})
    assert (settings.worker, settings.allowed_networks, settings.timeout) == ("embedded", (), 10)
    assert (settings.retry_base, settings.retry_max, settings.max_attempts) == (30, 3600, 16)


@pytest.mark.parametrize(("key", "value", "variable"), [
    ("WEBHOOK_WORKER", "thread", "THREAD_HEALTH_WEBHOOK_WORKER"),
    ("WEBHOOK_TIMEOUT", "ten", "THREAD_HEALTH_WEBHOOK_TIMEOUT"),
    ("WEBHOOK_TIMEOUT", "0", "THREAD_HEALTH_WEBHOOK_TIMEOUT"),
    ("WEBHOOK_RETRY_BASE", "-1", "THREAD_HEALTH_WEBHOOK_RETRY_BASE"),
    ("WEBHOOK_RETRY_MAX", "nan", "THREAD_HEALTH_WEBHOOK_RETRY_MAX"),
    ("WEBHOOK_MAX_ATTEMPTS", "0", "THREAD_HEALTH_WEBHOOK_MAX_ATTEMPTS"),
    ("WEBHOOK_MAX_ATTEMPTS", "2.5", "THREAD_HEALTH_WEBHOOK_MAX_ATTEMPTS"),
    ("WEBHOOK_POLL", "", "THREAD_HEALTH_WEBHOOK_POLL"),
    ("WEBHOOK_RETENTION_DAYS", "0", "THREAD_HEALTH_WEBHOOK_RETENTION_DAYS"),
    ("WEBHOOK_RETENTION_DAYS", "a month", "THREAD_HEALTH_WEBHOOK_RETENTION_DAYS"),
    ("WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8,lan", "THREAD_HEALTH_WEBHOOK_ALLOWED_NETWORKS"),
])
def test_a_bad_setting_names_its_variable(key, value, variable):
    with pytest.raises(ConfigError, match=variable):
        from_config({key: value})


def test_a_bad_setting_stops_the_service_at_start(tmp_path, monkeypatch):
    from service import create_app

    monkeypatch.setenv("THREAD_HEALTH_WEBHOOK_TIMEOUT", "forever")
    with pytest.raises(ConfigError, match="THREAD_HEALTH_WEBHOOK_TIMEOUT"):
        create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False})


def test_networks_from_the_environment_or_a_list():
    assert from_config({"WEBHOOK_ALLOWED_NETWORKS": " 127.0.0.0/8, ::1 "}).allowed_networks == (
        ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
    assert from_config({"WEBHOOK_ALLOWED_NETWORKS": ["10.0.0.0/8"]}).allowed_networks == (
        ipaddress.ip_network("10.0.0.0/8"),)


@pytest.mark.parametrize(("url", "networks", "ok"), [
    ("https://hooks.example.org/th?x=1", (), True),
    ("https://8.8.8.8/", (), True),
    ("http://8.8.8.8/", (), False),
    ("http://127.0.0.1:9000/th", LOCAL, True),
    ("http://localhost:9000/th", LOCAL, True),
    ("https://127.0.0.2/", (), False),
    ("http://10.0.0.1/", LOCAL, False),
    ("https://[::ffff:127.0.0.1]/", LOCAL, True),
    ("https://[::1]/", LOCAL, False),
    ("http://receiver.lan/", LOCAL, True),   # a name: checked again when sending
    ("http://receiver.lan/", (), False),
])
def test_url_rules(url, networks, ok):
    if ok:
        check_url(url, networks)
    else:
        with pytest.raises(Refused):
            check_url(url, networks)


@pytest.mark.parametrize("address", ["10.0.0.1", "172.16.0.1", "192.168.0.1", "127.0.0.1",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
                                     "fe80::1", "fc00::1", "::ffff:192.168.0.1", "ff02::1",
                                     "240.0.0.1"])
def test_non_public_addresses_are_refused_when_sending(address):
    ip = ipaddress.ip_address(address)
    with pytest.raises(Refused, match="not a public address"):
        check_address(ip, (), "https")
    # allowed once its network is (an IPv4-mapped address counts as the IPv4 one)
    check_address(ip, (ipaddress.ip_network(getattr(ip, "ipv4_mapped", None) or ip),), "http")
