"""Who may see the reports.

The report counts the registrations and referrals of the staff member's own libraries, so whoever may
see those (coordinators, read-only staff) may see their counts; the reports app's own view permission
also gives access. Hosts and volunteers, who only see meetings, do not.
"""


def can_view_reports(user):
    if not (user.is_active and user.is_staff):
        return False
    return user.has_perm("reports.view_reportexport") or (
        user.has_perm("programme_sessions.view_registration") and user.has_perm("partners.view_referral")
    )
