"""The staff roles that ship with the portal, as Django groups with permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

DOMAIN_APPS = (
    "programmes",
    "partners",
    "people",
    "programme_sessions",
    "messaging",
    "appointments",
    "certificates",
    "minilibrary",
    "reports",
)

COORDINATOR = "Coördinator"
HOST = "Gastheer of vrijwilliger"
READ_ONLY = "Alleen lezen"

# What a host or volunteer needs on the evening itself: see the meeting and who comes, mark who is
# there, sign someone up at the door, and count walk-in visits.
HOST_PERMISSIONS = {
    "programmes": ["view_programme", "view_branch"],
    "people": ["view_participant", "view_worker"],
    "programme_sessions": [
        "view_session",
        "view_courserun",
        "view_registration",
        "add_registration",
        "view_attendance",
        "add_attendance",
        "change_attendance",
        "view_walkinvisit",
        "add_walkinvisit",
    ],
    # A volunteer coach sees the times and books someone at the desk or by phone.
    "appointments": [
        "view_coachprofile",
        "view_availabilityblock",
        "view_slot",
        "view_appointment",
        "add_appointment",
    ],
    # The mini-library volunteer packs the cart and lends, takes back and notes requests on a visit.
    "minilibrary": [
        "view_cart",
        "view_book",
        "change_book",
        "view_visit",
        "view_loan",
        "add_loan",
        "change_loan",
        "view_request",
        "add_request",
        "change_request",
    ],
}


def _permissions(app_labels, actions=None):
    permissions = Permission.objects.filter(content_type__app_label__in=app_labels)
    if actions:
        permissions = [p for p in permissions if p.codename.split("_", 1)[0] in actions]
    return list(permissions)


@transaction.atomic
def staff_groups_ensure():
    """Create or update the groups; idempotent, so it can run on every deploy and demo load."""
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    # Who works for which library is for superusers to decide, and messages are written by the system.
    reserved = {
        "add_outboxmessage",
        "add_librarymembership",
        "change_librarymembership",
        "delete_librarymembership",
        # Issued certificates are records: reprinted, never removed.
        "delete_certificate",
    }
    # The privacy audit log is read by coordinators only; it is written by the system. Exporting and
    # erasing a person (people.export_participant, people.erase_participant) come with "people".
    audit_log = list(Permission.objects.filter(content_type__app_label="privacy", codename="view_auditevent"))
    coordinator.permissions.set(
        [p for p in _permissions(DOMAIN_APPS) if p.codename not in reserved] + audit_log
    )
    host, _ = Group.objects.get_or_create(name=HOST)
    host.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=HOST_PERMISSIONS,
            codename__in=[code for codes in HOST_PERMISSIONS.values() for code in codes],
        )
    )
    read_only, _ = Group.objects.get_or_create(name=READ_ONLY)
    read_only.permissions.set(_permissions(DOMAIN_APPS, ["view"]))
    return {"coordinator": coordinator, "host": host, "read_only": read_only}
