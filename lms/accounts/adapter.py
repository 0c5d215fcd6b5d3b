from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": "An account already uses this email address. Sign in, or reset your "
        "password if you have forgotten it",
    }

    def save_user(self, request, user, form, commit=True):
        """Fill in the profile before the first save, so a person is never half-created."""
        user = super().save_user(request, user, form, commit=False)
        form.apply_profile(user)
        if commit:
            user.save()
        return user
