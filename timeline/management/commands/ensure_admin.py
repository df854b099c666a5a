import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "Make sure an admin account exists: from DJANGO_SUPERUSER_USERNAME/DJANGO_SUPERUSER_PASSWORD, "
        "or 'admin' with a generated password printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.getenv("DJANGO_SUPERUSER_USERNAME", "").strip()
        password = os.getenv("DJANGO_SUPERUSER_PASSWORD", "")
        if username and password:
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True, "is_superuser": True})
            if created or not user.check_password(password):
                user.is_staff = user.is_superuser = True
                user.set_password(password)
                user.save()
                self.stdout.write(f"Admin account '{username}' is ready (password from DJANGO_SUPERUSER_PASSWORD).")
            return
        if User.objects.filter(is_superuser=True).exists():
            names = ", ".join(User.objects.filter(is_superuser=True).values_list("username", flat=True)[:3])
            self.stdout.write(f"Admin account exists ({names}); reset a password with: python manage.py changepassword <name>")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email="", password=password)
        self.stdout.write(self.style.WARNING(
            "\n  Created the admin account (shown only this once):\n"
            f"    user:     admin\n    password: {password}\n"
            f"  Log in at http://127.0.0.1:8000{reverse('admin:index')}\n"
        ))
