"""The body map: simple shapes, front and back, one per region and side.

Coordinates are in a 240 × 460 box per view (shown cropped to x 30–210). Every shape is at least
18 units each way: 25 px on a phone, above the 24 px that WCAG 2.5.8 asks of a target. On the
front view the client faces us, so their right side is on our left; on the back view their left is
on our left.
"""

from functools import cache

# (region, side, shape, attributes) — side is "left", "right" or "mid".
_FRONT = [
    ("scalp", "mid", "ellipse", {"cx": 120, "cy": 24, "rx": 24, "ry": 18}),
    ("face", "mid", "rect", {"x": 98, "y": 32, "width": 44, "height": 24, "rx": 10}),
    ("jaw", "right", "rect", {"x": 98, "y": 57, "width": 21, "height": 18, "rx": 5}),
    ("jaw", "left", "rect", {"x": 121, "y": 57, "width": 21, "height": 18, "rx": 5}),
    ("neck", "mid", "rect", {"x": 106, "y": 76, "width": 28, "height": 18, "rx": 4}),
    ("shoulder", "right", "ellipse", {"cx": 78, "cy": 99, "rx": 22, "ry": 12}),
    ("shoulder", "left", "ellipse", {"cx": 162, "cy": 99, "rx": 22, "ry": 12}),
    ("chest", "mid", "rect", {"x": 90, "y": 95, "width": 60, "height": 46, "rx": 8}),
    ("abdomen", "mid", "rect", {"x": 92, "y": 143, "width": 56, "height": 48, "rx": 8}),
    ("upper_arm", "right", "rect", {"x": 52, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("upper_arm", "left", "rect", {"x": 166, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("forearm", "right", "rect", {"x": 45, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("forearm", "left", "rect", {"x": 174, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("hand", "right", "ellipse", {"cx": 55, "cy": 252, "rx": 12, "ry": 15}),
    ("hand", "left", "ellipse", {"cx": 185, "cy": 252, "rx": 12, "ry": 15}),
    ("lateral_hip", "right", "rect", {"x": 64, "y": 186, "width": 24, "height": 30, "rx": 8}),
    ("lateral_hip", "left", "rect", {"x": 152, "y": 186, "width": 24, "height": 30, "rx": 8}),
    ("lateral_thigh", "right", "rect", {"x": 63, "y": 219, "width": 18, "height": 80, "rx": 6}),
    ("anterior_thigh", "right", "rect", {"x": 82, "y": 219, "width": 18, "height": 80, "rx": 6}),
    ("inner_thigh", "right", "rect", {"x": 101, "y": 219, "width": 18, "height": 48, "rx": 5}),
    ("inner_thigh", "left", "rect", {"x": 121, "y": 219, "width": 18, "height": 48, "rx": 5}),
    ("anterior_thigh", "left", "rect", {"x": 140, "y": 219, "width": 18, "height": 80, "rx": 6}),
    ("lateral_thigh", "left", "rect", {"x": 159, "y": 219, "width": 18, "height": 80, "rx": 6}),
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
    ("lateral_hip", "left", "rect", {"x": 60, "y": 190, "width": 19, "height": 30, "rx": 5}),
    ("lateral_hip", "right", "rect", {"x": 161, "y": 190, "width": 19, "height": 30, "rx": 5}),
    ("upper_arm", "left", "rect", {"x": 52, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("upper_arm", "right", "rect", {"x": 166, "y": 113, "width": 22, "height": 60, "rx": 10}),
    ("forearm", "left", "rect", {"x": 45, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("forearm", "right", "rect", {"x": 174, "y": 176, "width": 21, "height": 60, "rx": 9}),
    ("hand", "left", "ellipse", {"cx": 55, "cy": 252, "rx": 12, "ry": 15}),
    ("hand", "right", "ellipse", {"cx": 185, "cy": 252, "rx": 12, "ry": 15}),
    ("lateral_thigh", "left", "rect", {"x": 69, "y": 231, "width": 19, "height": 68, "rx": 6}),
    ("posterior_thigh", "left", "rect", {"x": 89, "y": 231, "width": 29, "height": 68, "rx": 8}),
    ("posterior_thigh", "right", "rect", {"x": 122, "y": 231, "width": 29, "height": 68, "rx": 8}),
    ("lateral_thigh", "right", "rect", {"x": 152, "y": 231, "width": 19, "height": 68, "rx": 6}),
    ("knee", "left", "ellipse", {"cx": 104, "cy": 313, "rx": 15, "ry": 11}),
    ("knee", "right", "ellipse", {"cx": 136, "cy": 313, "rx": 15, "ry": 11}),
    ("calf", "left", "rect", {"x": 92, "y": 327, "width": 22, "height": 92, "rx": 9}),
    ("calf", "right", "rect", {"x": 126, "y": 327, "width": 22, "height": 92, "rx": 9}),
    ("foot", "left", "ellipse", {"cx": 102, "cy": 436, "rx": 14, "ry": 11}),
    ("foot", "right", "ellipse", {"cx": 138, "cy": 436, "rx": 14, "ry": 11}),
]


# The outline of a body drawn behind the regions, so the map reads as a person and the regions as
# places on them. One list for both views: front and back share the outline. The right half is
# written out; the left is its mirror image about x = 120.
_HALF_OUTLINE = [
    "M120 2",
    "C104 2 94 14 94 32",  # crown to temple
    "C94 46 98 58 106 64",  # cheek to jaw
    "L106 82",  # neck
    "C90 86 66 84 58 98",  # trapezius to the point of the shoulder
    "C50 110 50 150 46 178",  # outer upper arm
    "L40 240",  # forearm
    "C34 256 40 272 56 272",  # hand
    "C70 272 72 256 68 240",
    "L76 176",  # inner forearm
    "L82 142",  # inner upper arm to the armpit
    "C84 160 80 174 60 196",  # flank to the hip
    "L62 300",  # outer thigh
    "C74 330 82 380 86 422",  # knee and outer shin
    "C80 440 84 452 102 452",  # foot
    "C116 452 118 440 114 422",
    "L116 300",  # inner shin and knee
    "L118 226",  # inner thigh
    "L120 222",
]


def _mirror(command: str) -> str:
    letter, *numbers = command[0], *command[1:].split()
    values = [float(n) for n in numbers]
    mirrored = [f"{240 - v:g}" if i % 2 == 0 else f"{v:g}" for i, v in enumerate(values)]
    return letter + " ".join(mirrored)


@cache
def outline() -> str:
    """The SVG path of the body's outline, in the map's 240 × 460 box."""
    right = _HALF_OUTLINE
    # Back up the left side: each segment mirrored, walked in reverse, ending where its
    # predecessor started.
    ends = [c[1:].split()[-2:] for c in right]
    left = []
    for i in range(len(right) - 1, 0, -1):
        command = right[i]
        start = ends[i - 1]
        if command[0] == "C":
            n = command[1:].split()
            reversed_curve = f"C{n[2]} {n[3]} {n[0]} {n[1]} {start[0]} {start[1]}"
            left.append(_mirror(reversed_curve))
        else:
            left.append(_mirror(f"L{start[0]} {start[1]}"))
    return " ".join(right + left) + " Z"


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
