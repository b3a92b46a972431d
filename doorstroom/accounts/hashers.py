"""How passwords are stored: Argon2id, at the parameters OWASP recommends (docs/security.md).

Django's own Argon2 parameters (100 MiB, 8 lanes) cost about 300 ms of CPU per login on our
2-core reference machine and its default PBKDF2 (1,000,000 rounds of SHA-256) about 440 ms; at
the start of a working day a few dozen coaches logging in at once queue behind that (the load
test in docs/performance.md). OWASP's Password Storage Cheat Sheet recommends Argon2id with at
least 19 MiB of memory, 2 passes and 1 lane, and prefers Argon2id to PBKDF2 because its memory
cost is what makes guessing on graphics cards expensive. That costs about 30 ms here.

The parameters are written into every stored hash, so older hashes (PBKDF2, or Argon2 with other
parameters) keep working: Django checks them with the hasher they name and stores the password
again with this one at the user's next successful login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id: 19 MiB, 2 passes, 1 lane (OWASP). The algorithm name stays Django's ``argon2``."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
