"""The signature check alone (no Flask): Coral's format, several signatures, bad headers."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from service.api.coral.signing import MAX_SIGNATURES, sign, signatures, verify

BODY = b'{\n  "action": "NEW"\n}'


def test_sign_is_coral_hmac_sha256_hex():
    expected = hmac.new(b"s3cret", BODY, hashlib.sha256).hexdigest()
    assert sign("s3cret", BODY) == f"sha256={expected}"


def test_any_valid_signature_of_several_passes():
    header = f"{sign('old', BODY)},{sign('new', BODY)}"
    assert verify(header, BODY, ("new",)) and verify(header, BODY, ("old",))
    assert verify(header.replace(",", ", "), BODY, ("new",))
    assert not verify(header, BODY, ("other",))
    assert not verify(header, BODY + b" ", ("new", "old"))


@pytest.mark.parametrize("header", [None, "", ",", "sha256", "SHA256=ab", "sha1=ab",
                                    "sha256=é", "sha256=" + "0" * 64])
def test_malformed_or_wrong_headers_fail(header):
    assert not verify(header, BODY, ("s3cret",))


def test_too_many_signatures_are_refused():
    header = ",".join([sign("s3cret", BODY)] * (MAX_SIGNATURES + 1))
    assert signatures(header) == [] and not verify(header, BODY, ("s3cret",))


def test_no_secret_never_passes():
    assert not verify(sign("", BODY), BODY, ())
