from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_tokens
from .forms import EmailAuthenticationForm, ThrottledPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            form_class=EmailAuthenticationForm,
            redirect_authenticated_user=True,
            extra_context={"breadcrumbs": [("Log in", None)]},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-again/", views.resend_confirmation, name="resend_confirmation"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/email/", views.change_email, name="change_email"),
    path("settings/email/again/", views.resend_email_change, name="resend_email_change"),
    path("settings/email/cancel/", views.cancel_email_change, name="cancel_email_change"),
    path("email/<str:token>/", views.confirm_email_change, name="confirm_email_change"),
    path("email/undo/<str:token>/", views.revert_email_change, name="revert_email_change"),
    path("settings/calendar/rotate/", views.rotate_calendar, name="rotate_calendar"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"breadcrumbs": [("Change password", None)]},
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            extra_context={"breadcrumbs": [("Change password", None)]},
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ThrottledPasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
            extra_context={"breadcrumbs": [("Reset password", None)]},
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            extra_context={
                "breadcrumbs": [("Reset password", None)],
                "interval": settings.ACCOUNT_MAIL_INTERVAL_MINUTES,
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"breadcrumbs": [("Reset password", None)]},
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            extra_context={"breadcrumbs": [("Reset password", None)]},
        ),
        name="password_reset_complete",
    ),
    *views_tokens.urlpatterns,
]
