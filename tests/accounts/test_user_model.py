import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_people_sign_in_with_email_and_have_no_username():
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username")
    user = User.objects.create_user(
        email="A.Person@Example.ORG ", password="x", full_name="A Person"
    )
    assert user.email == "a.person@example.org"
    assert user.check_password("x")
    assert not user.is_staff and not user.is_superuser


def test_an_email_address_belongs_to_one_person_whatever_the_capitals():
    User.objects.create_user(email="one@example.org", full_name="One")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="ONE@example.org", full_name="Two")


def test_profile_names_the_council_or_the_organisation(manchester):
    councillor = User.objects.create_user(
        email="c@example.org", full_name="Chris Council", role="councillor", council=manchester
    )
    supplier = User.objects.create_user(
        email="s@example.org", full_name="Sam Supplier", role="other", organisation="Acme Ltd"
    )
    assert councillor.organisation_name == "Manchester City Council"
    assert supplier.organisation_name == "Acme Ltd"
    assert str(councillor) == "Chris Council"
    assert councillor.get_short_name() == "Chris"


def test_a_council_with_people_cannot_be_deleted(manchester):
    from django.db.models import ProtectedError

    User.objects.create_user(email="c@example.org", full_name="C", council=manchester)
    with pytest.raises(ProtectedError):
        manchester.delete()


def test_superuser():
    admin = User.objects.create_superuser(
        email="admin@example.org", password="x", full_name="Ad Min"
    )
    assert admin.is_staff and admin.is_superuser
