from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "anjian.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from anjian.accounts import events
        from anjian.accounts.middleware import seen_at_sign_in

        user_logged_in.connect(seen_at_sign_in, dispatch_uid="anjian.accounts.seen_at_sign_in")
        user_logged_in.connect(events.signed_in, dispatch_uid="anjian.accounts.signed_in")
        user_logged_out.connect(events.signed_out, dispatch_uid="anjian.accounts.signed_out")
        user_login_failed.connect(
            events.sign_in_failed, dispatch_uid="anjian.accounts.sign_in_failed"
        )
