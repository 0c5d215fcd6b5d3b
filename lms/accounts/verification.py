"""allauth's `verified_email_required`, without its query on every request of the booking flow.

Whether someone has a verified address is checked by allauth once, then kept in the cache under
their id until any of their email addresses is saved or deleted (`forget`, connected in
`AccountsConfig.ready`). Someone without one gets allauth's answer every time: a new
verification email and the page saying so."""

from functools import wraps

from allauth.account.decorators import verified_email_required as allauth_verified_email_required
from django.core.cache import cache

TIMEOUT = 60 * 60


def _key(user_id):
    return f"verified-email:{user_id}"


def verified_email_required(view):
    @wraps(view)
    def verified(request, *args, **kwargs):  # reached only once allauth found an address verified
        cache.set(_key(request.user.pk), True, TIMEOUT)
        return view(request, *args, **kwargs)

    checked = allauth_verified_email_required(verified)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and cache.get(_key(request.user.pk)):
            return view(request, *args, **kwargs)
        return checked(request, *args, **kwargs)

    return wrapper


def forget(sender, instance, **kwargs):
    """Signal receiver: one of this person's email addresses changed."""
    cache.delete(_key(instance.user_id))
