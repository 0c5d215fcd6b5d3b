"""Every URL that takes a person's password is held to allauth's limits.

How the URLs are found (tests/accounts/urlwalk.py walks Django's resolver, so a URL added
anywhere, by this project or by Wagtail or allauth, is included without editing this file):

1. Every URL pattern without parameters is fetched by four visitors: someone signed out, a
   councillor, an organiser and an administrator (superuser). Any form on the answer with an
   `<input type="password">` that is not marked `autocomplete="new-password"` asks for a password
   someone already has: a sign-in, or the current password before a change. Those forms are
   attacked below, at the URL that served them and at the form's action.
2. Fetching cannot reach URLs with parameters (a page id, a restriction id), nor a form a view
   shows only in some state, so every view is also inspected: the form classes it names (a class
   view's attributes and `as_view()` arguments, or the globals a function view's code uses) are
   searched for a `PasswordInput` field not marked "new-password". Such a view must have shown its
   form in step 1, or the test fails and names it, so that nobody adds one unnoticed.

Fields for a new password (sign-up, reset, an administrator setting someone's password) are not
guessing targets and are left out: browsers and password managers rely on the same marking.

On each form found, with the right password known to work (checked first, so that the test
knows how to fill the form in):
(a) after the number of failed attempts allauth allows for one account ("login_failed", 5), the
    right password is refused: no sign-in, no change made;
(b) for sign-in forms, an account whose email address is not verified is not signed in.
"""

import inspect
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.views import View

from tests.accounts.urlwalk import reachable_patterns
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"
NEW_PASSWORD = "another-long-unusual-passphrase-77"
# allauth's failed sign-in limit for one account ("5/5m/key"): the smallest count it states.
ALLOWED_FAILURES = min(
    int(part.split("/")[0]) for part in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
)
# The sign-in URLs the site has always had: the search must at least find these.
KNOWN_SIGN_IN_URLS = {"/account/login/", "/admin/login/", "/_util/login/"}


def is_guessable(widget_or_input_attrs):
    """A password field that asks for an existing password, not a new one."""
    return widget_or_input_attrs.get("autocomplete") != "new-password"


# Step 1: forms on the pages themselves.


def password_forms(response, url):
    """(form, target URLs) for each form on the page with a guessable password field."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    soup = BeautifulSoup(response.content, "html.parser")
    found = []
    for form in soup.find_all("form"):
        fields = form.find_all("input", type="password")
        if any(is_guessable(field.attrs) for field in fields):
            action = urljoin(url, form.get("action") or url)
            targets = {url} | ({action} if not urlsplit(action).netloc else set())
            found.append((form, sorted(targets)))
    return found


def fill(form, login, guess):
    """The form's own hidden values, `login` in every text box, `guess` in every guessable
    password box and a new password in the others; the first option of each list."""
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        kind = (field.get("type") or "text").lower()
        if not name or kind in {"submit", "button", "reset", "image", "file", "checkbox", "radio"}:
            continue
        if field.name == "select":
            option = field.find("option", selected=True) or field.find("option")
            data[name] = option.get("value", option.get_text()) if option else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif kind == "hidden":
            data[name] = field.get("value", "")
        elif kind == "password":
            data[name] = guess if is_guessable(field.attrs) else NEW_PASSWORD
        else:
            data[name] = login
    return data


# Step 2: the views' own form classes.


def form_classes(callback, depth=0):
    view_class = getattr(callback, "view_class", None)
    candidates = []
    if view_class is not None:
        candidates += [getattr(view_class, name, None) for name in dir(view_class)]
        candidates += list(getattr(callback, "view_initkwargs", {}).values())
    else:
        function = inspect.unwrap(callback)
        code = getattr(function, "__code__", None)
        if code is not None:
            candidates += [function.__globals__.get(name) for name in code.co_names]
    for candidate in candidates:
        if not isinstance(candidate, type):
            continue
        if issubclass(candidate, forms.BaseForm):
            yield candidate
        elif issubclass(candidate, View) and depth == 0:
            yield from form_classes(candidate.as_view(), depth + 1)


def asks_for_existing_password(form_class):
    return any(
        isinstance(field.widget, forms.PasswordInput) and is_guessable(field.widget.attrs)
        for field in form_class.base_fields.values()
    )


# The attack.


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def fresh_client(user):
    # Some admin URLs answer 500 on purpose (/admin/failwhale/): a page, not an exception.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def attempt(user, page_url, target, login, guesses):
    """As `user`, load the form once (for its hidden values), then post each guess in turn to
    `target`. Returns the last (response, client)."""
    client = fresh_client(user)
    page_form = next(
        form
        for form, targets in password_forms(client.get(page_url), page_url)
        if target in targets
    )
    for guess in guesses:
        response = client.post(target, fill(page_form, login, guess))
    return response, client


def accepted(user, victim, response, client, hash_before):
    """Did that post do what the right password does? Signed out: the victim is now signed in.
    Signed in: the form went through (a redirect) or the password changed."""
    victim.refresh_from_db()
    if user is None:
        return signed_in_as(client) == str(victim.pk)
    return response.status_code in (301, 302, 303) or victim.password != hash_before


@pytest.fixture
def visitors(councillor, organiser, make_person, django_user_model):
    organiser.set_password(PASSWORD)
    organiser.save()
    administrator = django_user_model.objects.create_superuser(
        email="root@example.org", password=PASSWORD, full_name="Root Administrator"
    )
    EmailAddress.objects.create(
        user=administrator, email=administrator.email, verified=True, primary=True
    )
    return {
        "signed out": None,
        "councillor": councillor,
        "organiser": organiser,
        "administrator": administrator,
    }


def test_every_url_that_takes_a_password_refuses_it_after_too_many_failures(
    visitors, make_person, capsys
):
    victim = make_person(email="victim@example.org")
    unverified = make_person(email="unverified@example.org", verified=False)
    patterns = reachable_patterns()

    # Step 1: fetch every URL without parameters as each visitor.
    found = {}  # (page URL, target URL) -> visitor name
    clients = {name: fresh_client(user) for name, user in visitors.items()}
    for pattern in patterns:
        if pattern.has_parameters:
            continue
        for name, user in visitors.items():
            client = clients[name]
            if user is not None and signed_in_as(client) != str(user.pk):
                client.force_login(user)  # a page visited before signed this visitor out
            for _form, targets in password_forms(client.get(pattern.url), pattern.url):
                for target in targets:
                    found.setdefault((pattern.url, target), name)
    cache.clear()
    urls = sorted({target for _page, target in found})
    with capsys.disabled():
        print(f"\n{len(urls)} URLs take an existing password: {', '.join(urls)}")
    assert set(urls) >= KNOWN_SIGN_IN_URLS, "the search no longer finds the sign-in pages"

    # Step 2: no view asks for an existing password where step 1 could not see it.
    unseen = sorted(
        pattern.url
        for pattern in patterns
        if pattern.url not in {page for page, _target in found}
        and any(asks_for_existing_password(form) for form in form_classes(pattern.callback))
    )
    failures = [f"{url}: its view takes an existing password; attack it here" for url in unseen]

    for (page_url, target), name in sorted(found.items()):
        user = visitors[name]
        # Signed out, the password guessed is someone else's; signed in, one's own.
        account = victim if user is None else user
        where = f"{target} (form on {page_url}, {name})"

        cache.clear()
        hash_before = account.password
        response, client = attempt(user, page_url, target, account.email, [PASSWORD])
        if not accepted(user, account, response, client, hash_before):
            failures.append(f"{where}: the right password did not work; fill the form in here")
            continue
        account.set_password(PASSWORD)  # if that changed it
        account.save()

        # (a) The allowed number of failures, then the right password.
        cache.clear()
        hash_before = account.password
        guesses = [WRONG] * ALLOWED_FAILURES + [PASSWORD]
        response, client = attempt(user, page_url, target, account.email, guesses)
        if accepted(user, account, response, client, hash_before):
            failures.append(f"{where}: right password accepted after {ALLOWED_FAILURES} failures")

        # (b) An account whose address is not verified is not signed in.
        if user is None:
            cache.clear()
            response, client = attempt(user, page_url, target, unverified.email, [PASSWORD])
            if signed_in_as(client):
                failures.append(f"{where}: signed in an account whose email is not verified")

    assert not failures, "\n".join(failures)


def test_a_private_page_sends_people_to_the_sites_own_sign_in(client, make_person):
    from wagtail.models import Page, PageViewRestriction

    page = Page.objects.filter(depth=2).first()
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={page.url}"
    # Signing in there (or at Wagtail's old address for it) leads back to the page.
    make_person(email="reader@example.org")
    for url in (response["Location"], f"/_util/login/?next={page.url}"):
        client.logout()
        signed_in = client.post(url, {"login": "reader@example.org", "password": PASSWORD})
        assert signed_in.status_code == 302 and signed_in["Location"] == page.url
    assert client.get(page.url).status_code == 200
