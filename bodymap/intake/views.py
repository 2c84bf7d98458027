from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    client_user_required,
    get_client_for_user,
    may_sign_consent_in_portal,
    membership_for,
    portal_clients,
    staff_required,
)
from bodymap.intake import actions, figure, flow
from bodymap.intake.links import client_for_token, intake_path
from bodymap.intake.models import Channel
from bodymap.safety.guidance import guidance_for


def _flags(plan) -> list[str]:
    return sorted({f"{r.get('flag')}:{r.get('urgency')}" for r in (plan or {}).get("referrals", [])})


def _client_or_gone(token):
    client = client_for_token(token)
    if client is None:
        raise Http404
    return client


def _channel(request, client) -> str:
    via = request.GET.get("via")
    if via == Channel.IN_PERSON and membership_for(request.user) is not None:
        return Channel.IN_PERSON
    if via == Channel.PORTAL and portal_clients(request.user).filter(pk=client.pk).exists():
        return Channel.PORTAL
    return Channel.LINK


@require_http_methods(["GET", "POST"])
def intake_start(request, token):
    client = client_for_token(token)
    if client is None and client_for_token(token, used_ok=True) is not None:
        # The intake this link was for is in: the link shows nothing of it, nor starts another.
        return render(request, "intake/link_used.html", status=410)
    client = _client_or_gone(token)
    latest = client.intakes.order_by("-created_at", "-id").first()
    if request.method == "GET" and latest is not None and latest.is_submitted:
        return render(request, "intake/submitted.html", {"client": client, "intake": latest, "token": token})
    intake = actions.open_draft(client=client, channel=_channel(request, client), request=request)
    return redirect("intake:step", token=token, step=flow.first_unfinished(intake))


@require_http_methods(["GET", "POST"])
def intake_step(request, token, step):
    client = _client_or_gone(token)
    if step not in flow.BY_SLUG:
        raise Http404
    intake = client.intakes.drafts().order_by("-created_at", "-id").first()
    if intake is None:
        return redirect("intake:start", token=token)
    form_class = flow.BY_SLUG[step].form
    if request.method == "POST":
        kwargs = flow.form_kwargs(intake, step)
        raw = flow.raw_values(form_class, request.POST, **kwargs)
        if request.POST.get("autosave") and step != "review":
            # An autosave sent just before "Save and continue" can land after it: it keeps a
            # finished step finished while what it carries still validates.
            still_valid = flow.build_form(intake, step, data=request.POST).is_valid()
            actions.save_step(
                intake=intake,
                slug=step,
                raw=raw,
                finished=None if still_valid else False,
                request=request,
                autosave=True,
            )
            return HttpResponse(status=204)
        form = flow.build_form(intake, step, data=request.POST)
        valid = form.is_valid()
        if step == "review":
            if valid:
                contract, missing = flow.build_contract(intake)
                if contract is None:
                    return redirect("intake:step", token=token, step=missing)
                actions.submit_intake(
                    intake=intake, signature=form.cleaned_data["signature"], request=request
                )
                return redirect("intake:done", token=token)
        else:
            actions.save_step(intake=intake, slug=step, raw=raw, finished=valid, request=request)
            if valid:
                index = flow.step_index(step)
                if step in flow.FLAG_STEPS:
                    intake.refresh_from_db()
                    flags = _flags(flow.provisional_plan(intake))
                    if flags and flags != (intake.draft or {}).get("flags_shown"):
                        # Stop here: the client reads what to do now before anything else.
                        actions.mark_flags_shown(intake=intake, flags=flags)
                        return redirect(reverse("intake:step", args=[token, step]) + "?raised=1")
                return redirect("intake:step", token=token, step=flow.STEPS[index + 1].slug)
    else:
        form = flow.build_form(intake, step)
    context = {
        "client": client,
        "intake": intake,
        "token": token,
        "step": flow.BY_SLUG[step],
        "form": form,
        "steps": flow.STEPS,
        "index": flow.step_index(step),
        "prev": flow.STEPS[flow.step_index(step) - 1].slug if flow.step_index(step) else None,
        "done": set((intake.draft or {}).get("done", [])),
    }
    index = flow.step_index(step)
    # Once a flag has been raised it stays in view on every later step.
    if (intake.draft or {}).get("flags_shown"):
        context["guidance"] = guidance_for(flow.provisional_plan(intake) or {})
    if request.GET.get("raised") and index + 1 < len(flow.STEPS):
        context["continue_url"] = reverse("intake:step", args=[token, flow.STEPS[index + 1].slug])
    if step == "review":
        context["summary"] = _summary(intake)
        context["health_facts"] = _health_facts(context["summary"].get("health"))
    if step == "body":
        context["figure"] = _body_figure(form)
    actions.record_read(intake=intake, step=step, request=request)
    return render(request, f"intake/step_{step}.html", context)


def _body_figure(form):
    """The map as the client left it: marked places highlighted and shaded by pain."""
    classes, titles = {}, {}
    for group in form.groups():
        titles[group["key"]] = group["label"]
        if group["on"].value() not in (None, False, "", "False"):
            pain = group["pain"].value()
            classes[group["key"]] = "is-selected" + (f" pain-{pain}" if str(pain).isdigit() else "")
    return figure.annotated(classes, titles)


def _health_facts(health_form):
    """The health history in words, for the client to check before signing."""
    from bodymap import knowledge
    from bodymap.chart.planning import health_facts

    if health_form is None:
        return []
    midline = {r["id"] for r in knowledge.regions() if r["sides"] == "midline"}
    return health_facts(health_form.contract_fields(midline))


def _summary(intake):
    """What the client told us, for them to check before signing."""
    summary = {}
    for slug in flow.DATA_STEPS:
        form = flow.build_form(intake, slug, bound=True)
        summary[slug] = form if form is not None and form.is_valid() else None
    return summary


def intake_done(request, token):
    from bodymap.safety.queries import latest_alert_for

    client = client_for_token(token, used_ok=True)
    if client is None:
        raise Http404
    latest = client.intakes.latest_signed()
    alert = latest_alert_for(client)
    guidance = (
        guidance_for(alert.referrals)
        if alert is not None and alert.intake_id == getattr(latest, "pk", None)
        else None
    )
    return render(request, "intake/done.html", {"client": client, "guidance": guidance})


@client_user_required
def portal_intake(request):
    # The intake ends in consent, signed by the person themselves (or a guardian for a child).
    if not may_sign_consent_in_portal(request.user, request.portal_client):
        return render(request, "portal/consent_own.html", {"client": request.portal_client}, status=403)
    return redirect(intake_path(request.portal_client) + "?via=portal")


@staff_required
@require_POST
def send_link(request, public_id):
    from django.contrib import messages
    from django.utils.translation import gettext as _

    client = get_client_for_user(request, public_id)
    if not client.email:
        messages.error(request, _("Add an email address for this client first."))
    else:
        actions.send_intake_link(client=client, request=request, membership=request.membership)
        messages.success(request, _("The intake link was emailed to %(email)s.") % {"email": client.email})
    return redirect(reverse("clients:detail", args=[client.public_id]))


def what_to_expect(request):
    """Public: what happens at a massage, opening with the question clients ask most."""
    from bodymap import knowledge
    from bodymap.accounts.branding import named_practice

    topics = knowledge.education_topics()
    cited = sorted({s for t in topics for s in t["sources"]})
    sources = {s["id"]: s for s in knowledge.sources(cited)}
    return render(
        request,
        "intake/what_to_expect.html",
        {
            "topics": [{**t, "source_details": [sources[s] for s in t["sources"]]} for t in topics],
            "sources": sorted(sources.values(), key=lambda s: s["cited_as"]),
            # Shared by every practice; a link from one clinic's pages shows that clinic's face.
            "practice": named_practice(request),
        },
    )
