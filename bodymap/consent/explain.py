"""The words a client reads before deciding about a sensitive region, from the knowledge base."""

from bodymap import knowledge


def _stopping_text() -> str:
    for topic in knowledge.education_topics():
        if topic["topic"] == "consent_and_stopping":
            return topic["text"]
    raise LookupError("The knowledge base has no 'consent_and_stopping' topic.")


def explanation_for(region: str, complaints: list[dict] | None = None) -> dict:
    """Everything shown for one region, tailored to the client's complaints, plus the exact text
    that is stored with the decision."""
    info = knowledge.consent_explanation(region, complaints or [])
    stopping = _stopping_text()
    sources = knowledge.sources(info["sources"]) if info["sources"] else []
    # Everything the form shows, in its order, so the stored text is exactly what was read.
    parts = [info["why"], *info["reasons"], info["draping"], info["risks"], info["if_declined"], stopping]
    return {**info, "stopping": stopping, "source_details": sources, "text": "\n\n".join(parts)}
