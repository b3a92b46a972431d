"""Encryption at rest for the protected section (R-PRV-3): MultiFernet, keys from the environment.

The first key encrypts; every key decrypts, so keys can be rotated without downtime
(``manage.py rotate_encryption_keys`` re-encrypts with the newest key).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet(key: str) -> Fernet:
    if not key:  # embedded mode only (settings refuse an empty key list in production)
        digest = hashlib.sha256(f"doorstroom-notes:{settings.SECRET_KEY}".encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))
    return Fernet(key.encode())


def _cipher() -> MultiFernet:
    return MultiFernet([_fernet(k) for k in settings.DOORSTROOM_ENCRYPTION_KEYS])


def encrypt(text: str) -> bytes:
    return _cipher().encrypt(text.encode())


def decrypt(token: bytes) -> str:
    """Return the plain text; raises ``InvalidToken`` when no configured key fits."""
    return _cipher().decrypt(bytes(token)).decode()


def rotate(token: bytes) -> bytes:
    """Return ``token`` re-encrypted with the newest key."""
    return _cipher().rotate(bytes(token))


__all__ = ["InvalidToken", "decrypt", "encrypt", "rotate"]
