"""Writes of intakes: drafts at every step, and the signed submission with its consent records."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bodymap import knowledge
from bodymap.audit.log import client_ip, record
from bodymap.audit.models import AuditAction
from bodymap.clients.identity import propose_contact_change
from bodymap.consent.actions import record_consent
from bodymap.consent.models import Method
from bodymap.intake import flow
from bodymap.intake.links import intake_path
from bodymap.intake.models import Channel, Intake
from bodymap.safety.actions import raise_alert
from bodymap.safety.guidance import guidance_for

CLIENT_LABEL = "client (intake link)"
CONTACT_FIELDS = [
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "date_of_birth",
    "emergency_contact_name",
    "emergency_contact_phone",
]


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def record_read(*, intake, step, request) -> None:
    """Every page of the intake shows what was typed so far: each showing is audited."""
    record(
        actor=_actor(request),
        actor_label=CLIENT_LABEL,
        practice=intake.practice,
        action=AuditAction.VIEW,
        subject_type="intake",
        subject_public_id=intake.public_id,
        request=request,
        client=str(intake.client.public_id),
        step=step,
    )


@transaction.atomic
def open_draft(*, client, channel, request) -> Intake:
    """The client's unfinished intake, or a new one."""
    draft = client.intakes.drafts().select_for_update().order_by("-created_at", "-id").first()
    if draft is not None:
        return draft
    draft = Intake.objects.create(practice=client.practice, client=client, channel=channel)
    record(
        actor=_actor(request),
        actor_label=CLIENT_LABEL,
        practice=client.practice,
        action=AuditAction.CREATE,
        subject_type="intake",
        subject_public_id=draft.public_id,
        request=request,
        client=str(client.public_id),
        channel=channel,
    )
    return draft


@transaction.atomic
def save_step(*, intake, slug, raw, finished, request, autosave=False) -> None:
    """Keep what was typed on one step; mark the step done when it validated. Autosaves of the same
    intake within a few minutes share one audit entry."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    draft = intake.draft or {}
    draft.setdefault("raw", {})[slug] = raw
    done = set(draft.get("done", []))
    if finished:
        done.add(slug)
    else:
        done.discard(slug)
    draft["done"] = sorted(done, key=flow.step_index)
    intake.draft = draft
    intake.step = slug
    intake.save(update_fields=["draft", "step", "updated_at"])
    record(
        actor=_actor(request),
        actor_label=CLIENT_LABEL,
        practice=intake.practice,
        action=AuditAction.CHANGE,
        subject_type="intake",
        subject_public_id=intake.public_id,
        request=request,
        coalesce=autosave,
        client=str(intake.client.public_id),
        step=slug,
        finished=finished,
    )


@transaction.atomic
def mark_flags_shown(*, intake, flags: list[str]) -> None:
    """Remember which red flags the client has been shown, so each is shown once on its step."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    draft = intake.draft or {}
    draft["flags_shown"] = flags
    intake.draft = draft
    intake.save(update_fields=["draft", "updated_at"])


@transaction.atomic
def submit_intake(*, intake, signature, request) -> Intake:
    """Store the signed intake in the contract's format, with one consent record per sensitive
    region, all in one transaction with their audit entries."""
    intake = Intake.objects.select_for_update().select_related("client__practice").get(pk=intake.pk)
    if intake.is_submitted:
        return intake
    contract, missing = flow.build_contract(intake)
    if contract is None:
        raise ValueError(f"step {missing!r} is not complete")
    explanations = {item["region"]: item["text"] for item in flow.consent_explanations(intake)}
    guardian = flow.guardian_name(intake)
    actor = _actor(request)
    method = {Channel.PORTAL: Method.PORTAL, Channel.IN_PERSON: Method.IN_PERSON}.get(
        intake.channel, Method.LINK
    )

    client = intake.client
    about_form = flow.build_form(intake, "about", bound=True)
    about_form.is_valid()  # build_contract has just checked it
    about = about_form.cleaned_data
    changed = [f for f in CONTACT_FIELDS if about.get(f) not in (None, "") and about[f] != getattr(client, f)]
    if changed:
        # Whoever holds the link may not be the client: new contact details wait for staff review.
        propose_contact_change(
            client=client,
            proposed={f: about[f] for f in changed},
            intake=intake,
            actor=actor,
            actor_label=CLIENT_LABEL,
            request=request,
        )

    intake.contract = contract
    intake.signature = signature
    intake.signed_ip = client_ip(request)
    intake.signed_user_agent = request.META.get("HTTP_USER_AGENT", "")[:400]
    intake.submitted_at = timezone.now()
    intake.save()
    record(
        actor=actor,
        actor_label=CLIENT_LABEL,
        practice=client.practice,
        action=AuditAction.CREATE,
        subject_type="intake",
        subject_public_id=intake.public_id,
        request=request,
        submitted=True,
        client=str(client.public_id),
    )
    for region, decision in contract["consent"].items():
        record_consent(
            client=client,
            region=region,
            decision=decision,
            method=method,
            request=request,
            actor=actor,
            actor_label=CLIENT_LABEL,
            explanation=explanations[region],
            signature=signature,
            intake=intake,
            guardian=guardian,
        )
    # A red flag, answered or read from the body map, reaches the practice at once.
    plan = knowledge.plan(contract)
    raise_alert(intake=intake, plan=plan, request=request, actor=actor, actor_label=CLIENT_LABEL)
    _email_confirmation(intake, guidance_for(plan), request)
    return intake


def _email_confirmation(intake, guidance, request):
    """The client's receipt for their intake, with what to do now when it raised a red flag."""
    client = intake.client
    if not client.email:
        return
    context = {"client": client, "practice": client.practice, "guidance": guidance}
    subject = render_to_string("intake/email/received_subject.txt", context).strip()
    body = render_to_string("intake/email/received_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [client.email]))


@transaction.atomic
def send_intake_link(*, client, request, membership) -> None:
    url = request.build_absolute_uri(intake_path(client))
    context = {
        "client": client,
        "practice": client.practice,
        "url": url,
        "days": settings.BODYMAP_INTAKE_LINK_DAYS,
    }
    subject = render_to_string("intake/email/link_subject.txt", context).strip()
    body = render_to_string("intake/email/link_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [client.email]))
    record(
        actor=membership.user,
        practice=client.practice,
        action=AuditAction.LINK_SENT,
        subject_type="intake",
        subject_public_id=None,
        request=request,
        client=str(client.public_id),
    )
