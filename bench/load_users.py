"""Write the coach logins for the locust load test (bin/load-test) as JSON.

    DATABASE_URL=… .venv/bin/python -m bench.load_users OUT.json [--limit 50]

Coaches who can open dossiers (privacy training recorded), have no second factor to type, and
lead running or suspended trajectories: the most trajectories first, so that each simulated
user is a different coach with a real caseload. The password is the one of the demo and the
generated load data (``doorstroom``) unless ``LOAD_PASSWORD`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def coach_emails(limit: int) -> list[str]:
    """The logins of up to ``limit`` coaches with a caseload, the biggest caseloads first."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from doorstroom.accounts.models import User
    from doorstroom.accounts.roles import Role

    open_trajectories = Q(led_trajectories__status__in=["running", "suspended"])
    coaches = (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.COACH,
            privacy_training_date__lte=timezone.localdate(),
        )
        .exclude(two_factor_device__confirmed_at__isnull=False)
        .annotate(caseload=Count("led_trajectories", filter=open_trajectories, distinct=True))
        .filter(caseload__gt=0)
        .order_by("-caseload", "pk")
    )
    return list(coaches.values_list("email", flat=True)[:limit])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)
    setup_django()
    emails = coach_emails(args.limit)
    if not emails:
        print("load_users: no coach with a caseload in this database", file=sys.stderr)
        return 1
    password = os.environ.get("LOAD_PASSWORD", "doorstroom")
    args.out.write_text(json.dumps({"emails": emails, "password": password}, indent=1) + "\n")
    print(f"load_users: {len(emails)} coaches written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
