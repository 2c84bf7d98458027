import html
from functools import cache

from django import template

from bodymap import knowledge

register = template.Library()


@cache
def _region_names() -> dict[str, str]:
    return {r["id"]: r["name"] for r in knowledge.regions()}


@register.filter
def region_name(region_id: str) -> str:
    """A region id as a person reads it: "inner_thigh" becomes "upper inner thigh"."""
    return _region_names().get(region_id, region_id)


_SHAPE = {
    "ellipse": '<ellipse class="region {cls}" data-region="{region}" data-side="{side}" data-key="{key}" '
    'cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}">{title}</ellipse>',
    "rect": '<rect class="region {cls}" data-region="{region}" data-side="{side}" data-key="{key}" '
    'x="{x}" y="{y}" width="{width}" height="{height}" rx="{rx}">{title}</rect>',
}


def _outline():
    from bodymap.intake.figure import outline

    return outline()


@register.simple_tag
def body_map(figure, interactive=False, compact=False):
    """The body map as SVG, built in Python: it is drawn on busy pages, and a template loop over
    every shape costs more than the rest of the page."""
    from django.utils.html import escape, format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    def attr(value) -> str:
        # What Django's escape does, without its check for lazy arguments: that check, around
        # six hundred attribute values a chart, cost more than building the SVG.
        return html.escape(str(value))

    views = []
    for view in figure:
        shapes = []
        for s in view["shapes"]:
            title = f"<title>{attr(s['title'])}</title>" if s.get("title") else ""
            values = {k: attr(v) for k, v in s.items() if k != "title"}
            shapes.append(
                _SHAPE[s["kind"]].format(**{**values, "cls": attr(s.get("cls", "")), "title": title})
            )
        if view["id"] == "front":
            caption = format_html(
                '{} <span class="muted small">{}</span>', _("Front"), _("(your right is on the left)")
            )
            label = _("Body map, front")
        else:
            caption = format_html(
                '{} <span class="muted small">{}</span>', _("Back"), _("(your left is on the left)")
            )
            label = _("Body map, back")
        role = (
            'aria-hidden="true" focusable="false"'
            if interactive
            else f'role="img" aria-label="{escape(label)}"'
        )
        body = f'<path class="silhouette" d="{_outline()}"></path>' + "".join(shapes)
        views.append(
            f'<figure class="figure figure--{escape(view["id"])}">'
            f'<svg viewBox="30 0 180 460" class="bodymap-svg" {role}>{body}</svg>'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    css = "figures figures--compact" if compact else "figures"
    return mark_safe(f'<div class="{css}">{"".join(views)}</div>')  # noqa: S308 - every value is escaped above
