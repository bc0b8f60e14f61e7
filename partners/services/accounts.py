"""Consultant accounts: made only by an invitation from library staff, bound to one organisation."""

from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from messaging.rendering import absolute_url

from ..models import PartnerContact


class InvitationRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def set_password_url(user):
    """allauth's password-reset link: the invited consultant chooses a password with it."""
    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": token}
    )
    return absolute_url(path)


@transaction.atomic
def consultant_invite(*, contact, invited_by, now=None):
    """Make (or, while it is unused, re-send) the consultant's account and e-mail the set-password link.

    The account has no usable password until the consultant sets one. An address that already has an
    account elsewhere is refused: linking it would hand the organisation's referrals to whoever made it.
    """
    now = now or timezone.now()
    contact = (
        PartnerContact.objects.select_for_update(of=("self",))
        .select_related("partner", "user")
        .get(pk=contact.pk)
    )
    email = contact.email.strip().lower()
    if not email:
        raise InvitationRefused(gettext("%(name)s has no e-mail address.") % {"name": contact.name})
    user = contact.user
    if user is not None and user.has_usable_password():
        raise InvitationRefused(
            gettext("%(name)s already has an account. They can reset their password on the log-in page.")
            % {"name": contact.name}
        )
    if user is None:
        users = get_user_model().objects
        if (
            users.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            raise InvitationRefused(
                gettext("There is already an account with %(email)s. Ask an administrator to look at it.")
                % {"email": email}
            )
        first, _space, last = contact.name.partition(" ")
        # No password argument: the account starts with an unusable password.
        user = users.create_user(
            username=email[:150], email=email, first_name=first[:150], last_name=last[:150]
        )
        # The set-password link goes to this address, so using it proves the address.
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        contact.user = user
    contact.invited_at = now
    contact.save(update_fields=["user", "invited_at", "updated_at"])
    transaction.on_commit(lambda: _send_invitation(contact, user, invited_by))
    return user


def _send_invitation(contact, user, invited_by):
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": contact.name,
            "partner": contact.partner.name,
            "inviter": (invited_by.get_full_name() or invited_by.email) if invited_by else "",
            "email": user.email,
            "link": set_password_url(user),
            "login_link": absolute_url(reverse("account_login")),
        }
        subject = render_to_string("referrers/email/invitation_subject.txt", context).strip()
        body = render_to_string("referrers/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
