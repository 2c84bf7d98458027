"""What a client has consented to: standing consent, and consent for one session."""

from dataclasses import dataclass

from bodymap import knowledge
from bodymap.consent.models import ConsentRecord, Decision


@dataclass(frozen=True)
class RegionConsent:
    region: str
    decision: str  # granted, over_drape or declined: what the planner may use
    record: ConsentRecord | None  # the decision in force, if any
    state: str  # granted, over_drape, declined, withdrawn, not_asked or not_confirmed

    @property
    def allows_work(self) -> bool:
        return self.decision in (Decision.GRANTED, Decision.OVER_DRAPE)


def _latest_by_region(records) -> dict[str, ConsentRecord]:
    latest = {}
    for record in records:  # ordered oldest first, so the last one per region wins
        latest[record.region] = record
    return latest


def _as_planner_decision(decision: str) -> str:
    return Decision.DECLINED if decision == Decision.WITHDRAWN else decision


def consent_for(client, appointment=None, records=None) -> dict[str, RegionConsent]:
    """Consent in force for every sensitive region, for planning and charting.

    Without an appointment: the client's standing consent. With one: whichever is newer of the
    standing decision and the decisions given for that session (a confirmation before treatment,
    a check-in during it). When the practice asks for confirmation before each treatment, a region
    not confirmed for this session is treated as declined.
    """
    if records is None:
        records = list(ConsentRecord.objects.filter(client=client).order_by("given_at", "id"))
    standing = _latest_by_region(r for r in records if r.appointment_id is None)
    session = {}
    if appointment is not None:
        session = _latest_by_region(r for r in records if r.appointment_id == appointment.pk)
    must_confirm = appointment is not None and client.practice.confirm_consent_each_treatment
    result = {}
    for region in knowledge.sensitive_regions():
        candidates = [r for r in (standing.get(region), session.get(region)) if r is not None]
        newest = max(candidates, key=lambda r: (r.given_at, r.pk)) if candidates else None
        if newest is None:
            result[region] = RegionConsent(region, Decision.DECLINED, None, "not_asked")
        elif must_confirm and region not in session:
            result[region] = RegionConsent(region, Decision.DECLINED, newest, "not_confirmed")
        else:
            result[region] = RegionConsent(
                region, _as_planner_decision(newest.decision), newest, newest.decision
            )
    return result


def planner_consent(consents: dict[str, RegionConsent]) -> dict[str, str]:
    """The contract's consent object: region id to granted, over_drape or declined."""
    return {region: str(c.decision) for region, c in sorted(consents.items())}
