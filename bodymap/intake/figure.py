"""The body map: simple shapes, front and back, one per region and side.

Coordinates are in a 240 × 470 box per view. On the front view the client faces us, so their
right side is on our left; on the back view their left is on our left.
"""

from functools import cache

# (region, side, shape, attributes) — side is "left", "right" or "mid".
_FRONT = [
    ("scalp", "mid", "ellipse", {"cx": 120, "cy": 24, "rx": 24, "ry": 18}),
    ("face", "mid", "rect", {"x": 98, "y": 32, "width": 44, "height": 28, "rx": 10}),
    ("jaw", "right", "rect", {"x": 98, "y": 58, "width": 21, "height": 13, "rx": 5}),
    ("jaw", "left", "rect", {"x": 121, "y": 58, "width": 21, "height": 13, "rx": 5}),
    ("neck", "mid", "rect", {"x": 106, "y": 73, "width": 28, "height": 15, "rx": 4}),
    ("shoulder", "right", "ellipse", {"cx": 78, "cy": 99, "rx": 22, "ry": 12}),
    ("shoulder", "left", "ellipse", {"cx": 162, "cy": 99, "rx": 22, "ry": 12}),
    ("chest", "mid", "rect", {"x": 90, "y": 91, "width": 60, "height": 50, "rx": 8}),
    ("abdomen", "mid", "rect", {"x": 92, "y": 143, "width": 56, "height": 48, "rx": 8}),
    ("upper_arm", "right", "rect", {"x": 52, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("upper_arm", "left", "rect", {"x": 166, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("forearm", "right", "rect", {"x": 45, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("forearm", "left", "rect", {"x": 174, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("hand", "right", "ellipse", {"cx": 55, "cy": 252, "rx": 12, "ry": 15}),
    ("hand", "left", "ellipse", {"cx": 185, "cy": 252, "rx": 12, "ry": 15}),
    ("lateral_hip", "right", "rect", {"x": 78, "y": 186, "width": 20, "height": 30, "rx": 8}),
    ("lateral_hip", "left", "rect", {"x": 142, "y": 186, "width": 20, "height": 30, "rx": 8}),
    ("lateral_thigh", "right", "rect", {"x": 79, "y": 219, "width": 13, "height": 80, "rx": 6}),
    ("anterior_thigh", "right", "rect", {"x": 93, "y": 219, "width": 15, "height": 80, "rx": 6}),
    ("inner_thigh", "right", "rect", {"x": 109, "y": 219, "width": 10, "height": 48, "rx": 5}),
    ("inner_thigh", "left", "rect", {"x": 121, "y": 219, "width": 10, "height": 48, "rx": 5}),
    ("anterior_thigh", "left", "rect", {"x": 132, "y": 219, "width": 15, "height": 80, "rx": 6}),
    ("lateral_thigh", "left", "rect", {"x": 148, "y": 219, "width": 13, "height": 80, "rx": 6}),
    ("knee", "right", "ellipse", {"cx": 100, "cy": 313, "rx": 15, "ry": 11}),
    ("knee", "left", "ellipse", {"cx": 140, "cy": 313, "rx": 15, "ry": 11}),
    ("shin", "right", "rect", {"x": 90, "y": 327, "width": 20, "height": 92, "rx": 8}),
    ("shin", "left", "rect", {"x": 130, "y": 327, "width": 20, "height": 92, "rx": 8}),
    ("foot", "right", "ellipse", {"cx": 100, "cy": 436, "rx": 14, "ry": 11}),
    ("foot", "left", "ellipse", {"cx": 140, "cy": 436, "rx": 14, "ry": 11}),
]

_BACK = [
    ("scalp", "mid", "ellipse", {"cx": 120, "cy": 38, "rx": 25, "ry": 30}),
    ("neck", "mid", "rect", {"x": 106, "y": 70, "width": 28, "height": 18, "rx": 4}),
    ("shoulder", "left", "ellipse", {"cx": 78, "cy": 99, "rx": 22, "ry": 12}),
    ("shoulder", "right", "ellipse", {"cx": 162, "cy": 99, "rx": 22, "ry": 12}),
    ("upper_back", "mid", "rect", {"x": 90, "y": 91, "width": 60, "height": 34, "rx": 8}),
    ("mid_back", "mid", "rect", {"x": 92, "y": 127, "width": 56, "height": 30, "rx": 6}),
    ("low_back", "mid", "rect", {"x": 92, "y": 159, "width": 56, "height": 27, "rx": 6}),
    ("sacrum", "mid", "rect", {"x": 109, "y": 188, "width": 22, "height": 22, "rx": 6}),
    ("gluteal", "left", "rect", {"x": 80, "y": 188, "width": 28, "height": 40, "rx": 13}),
    ("gluteal", "right", "rect", {"x": 132, "y": 188, "width": 28, "height": 40, "rx": 13}),
    ("lateral_hip", "left", "rect", {"x": 67, "y": 190, "width": 12, "height": 30, "rx": 5}),
    ("lateral_hip", "right", "rect", {"x": 161, "y": 190, "width": 12, "height": 30, "rx": 5}),
    ("upper_arm", "left", "rect", {"x": 52, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("upper_arm", "right", "rect", {"x": 166, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("forearm", "left", "rect", {"x": 45, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("forearm", "right", "rect", {"x": 174, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("hand", "left", "ellipse", {"cx": 55, "cy": 252, "rx": 12, "ry": 15}),
    ("hand", "right", "ellipse", {"cx": 185, "cy": 252, "rx": 12, "ry": 15}),
    ("lateral_thigh", "left", "rect", {"x": 79, "y": 231, "width": 13, "height": 68, "rx": 6}),
    ("posterior_thigh", "left", "rect", {"x": 93, "y": 231, "width": 25, "height": 68, "rx": 8}),
    ("posterior_thigh", "right", "rect", {"x": 122, "y": 231, "width": 25, "height": 68, "rx": 8}),
    ("lateral_thigh", "right", "rect", {"x": 148, "y": 231, "width": 13, "height": 68, "rx": 6}),
    ("knee", "left", "ellipse", {"cx": 104, "cy": 313, "rx": 15, "ry": 11}),
    ("knee", "right", "ellipse", {"cx": 136, "cy": 313, "rx": 15, "ry": 11}),
    ("calf", "left", "rect", {"x": 92, "y": 327, "width": 22, "height": 92, "rx": 9}),
    ("calf", "right", "rect", {"x": 126, "y": 327, "width": 22, "height": 92, "rx": 9}),
    ("foot", "left", "ellipse", {"cx": 102, "cy": 436, "rx": 14, "ry": 11}),
    ("foot", "right", "ellipse", {"cx": 138, "cy": 436, "rx": 14, "ry": 11}),
]


@cache
def views() -> list[dict]:
    """Both views with their shapes, ready for the template."""
    return [
        {"id": "front", "shapes": [_shape(*s) for s in _FRONT]},
        {"id": "back", "shapes": [_shape(*s) for s in _BACK]},
    ]


def _shape(region, side, kind, attrs):
    return {"region": region, "side": side, "key": f"{region}__{side}", "kind": kind, **attrs}


def regions_drawn() -> set[tuple[str, str]]:
    return {(s[0], s[1]) for s in _FRONT + _BACK}


def annotated(classes: dict[str, str], titles: dict[str, str]) -> list[dict]:
    """Both views with a CSS class string and a title per shape (keys are region__side; a key
    of region__both applies to both sides)."""
    result = []
    for view in views():
        shapes = []
        for shape in view["shapes"]:
            both = f"{shape['region']}__both"
            cls = " ".join(filter(None, [classes.get(both, ""), classes.get(shape["key"], "")]))
            title = titles.get(shape["key"]) or titles.get(both) or ""
            shapes.append({**shape, "cls": cls, "title": title})
        result.append({"id": view["id"], "shapes": shapes})
    return result
