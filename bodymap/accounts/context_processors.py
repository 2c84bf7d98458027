from bodymap.access import membership_for, portal_clients


def membership(request):
    user = getattr(request, "user", None)
    staff = membership_for(user) if user is not None else None
    return {
        "membership": staff,
        "is_portal_client": bool(
            user and user.is_authenticated and staff is None and portal_clients(user).exists()
        ),
    }
