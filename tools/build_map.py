#!/usr/bin/env python3
"""Build the world map's country outlines from world-atlas's countries-110m TopoJSON.

    python tools/build_map.py [node_modules/world-atlas/countries-110m.json] [static/img/world-110m-paths.json]

The output is committed, so the site needs neither Node nor the TopoJSON at run
time: a small JSON file with one projected SVG path per country, keyed by the
ISO 3166-1 numeric code that world-atlas uses as `id` (a zero-padded string,
the same form as our Country.numeric). Three geometries have no ISO code
(N. Cyprus, Somaliland, Kosovo); they are drawn, never linked.

How TopoJSON is decoded (https://github.com/topojson/topojson-specification):
- `arcs` is a list of lines shared between neighbouring countries. With a
  `transform` the positions are quantized and delta-encoded: the first
  position of an arc is absolute, each next one is the difference from the
  previous; position = (x * scale + translate).
- A geometry's ring is a list of arc indexes; a negative index `~i` (= -i-1)
  means arc i reversed. Consecutive arcs share their end points, so the first
  position of every arc after the first is dropped.

The projection is Natural Earth I (Šavrič, Patterson, Jenny; the same
polynomial as d3-geo's geoNaturalEarth1), fitted to the drawing box.
Antarctica is left out: no migration instrument here concerns it, and
without it the inhabited world gets more of the width.
"""

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-110m.json"
DEFAULT_TARGET = ROOT / "static" / "img" / "world-110m-paths.json"

WIDTH = 960.0
PADDING = 4.0
LEFT_OUT = {"010"}  # Antarctica
# Europe and Central Asia, where most partners are too small to click on the world view:
# drawn again as an enlarged inset (longitude/latitude box).
INSETS = {"europe": ((-11.0, 34.0), (82.0, 62.0))}


def decode_arcs(topology):
    """Absolute (longitude, latitude) positions of every arc."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([tuple(p[:2]) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        positions = []
        for dx, dy in (p[:2] for p in arc):
            x += dx
            y += dy
            positions.append((x * sx + tx, y * sy + ty))
        arcs.append(positions)
    return arcs


def ring_positions(ring, arcs):
    positions = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        positions.extend(arc if not positions else arc[1:])
    return positions


def geometry_polygons(geometry, arcs):
    """A geometry as a list of polygons, each a list of rings of positions."""
    if geometry["type"] == "Polygon":
        return [[ring_positions(ring, arcs) for ring in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_positions(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def clip(ring, keep):
    """Sutherland–Hodgman: the part of a closed ring on one side of the meridian 180 (keep(x) says which)."""
    out = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if keep(current[0]):
            if not keep(previous[0]):
                out.append(_crossing(previous, current))
            out.append(current)
        elif keep(previous[0]):
            out.append(_crossing(previous, current))
    return out


def _crossing(a, b):
    t = (180 - a[0]) / (b[0] - a[0])
    return (180.0, a[1] + t * (b[1] - a[1]))


def split_at_antimeridian(ring):
    """world-atlas keeps spherical rings whole (d3 clips while projecting): Russia's Chukotka and
    Fiji cross ±180°. Unwrap such a ring to continuous longitudes, then cut it at 180°
    into an eastern part and a western part shifted back by 360°."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:] + ring[:1])):
        return [ring]
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    if min(lon for lon, _ in unwrapped) < -180:
        unwrapped = [(lon + 360, lat) for lon, lat in unwrapped]
    east = clip(unwrapped, lambda x: x <= 180)
    west = [(lon - 360, lat) for lon, lat in clip(unwrapped, lambda x: x >= 180)]
    return [part for part in (east, west) if len(part) >= 3]


def natural_earth(longitude, latitude):
    """Natural Earth I projection of degrees, in unit-sphere coordinates (y up)."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def path_data(rings):
    """Compact SVG path data: positions rounded to 0.1 px, then written relative ("l dx dy").

    Rounding the absolute positions first and taking differences afterwards keeps
    the outline free of drift; repeated points after rounding are dropped.
    """
    parts = []
    for ring in rings:
        points = []
        for x, y in ring:
            point = (round(x * 10), round(y * 10))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(points) < 3:
            continue
        steps = [n for (x1, y1), (x2, y2) in zip(points, points[1:]) for n in (x2 - x1, y2 - y1)]
        parts.append(f"M{_numbers(points[0])}l{_numbers(steps)}z")
    return "".join(parts)


def _numbers(tenths):
    """Tenths of a pixel as a short SVG number list: (12, -3, 20) -> '1.2-.3 2'.

    A separator is needed only where the next number does not start with '-'.
    """
    out = ""
    for value in tenths:
        text = f"{value / 10:g}"
        if text.startswith("0."):
            text = text[1:]
        elif text.startswith("-0."):
            text = "-" + text[2:]
        out += text if (not out or text.startswith("-")) else " " + text
    return out


def build(topology):
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id", "")
        if numeric in LEFT_OUT:
            continue
        rings = [
            part
            for polygon in geometry_polygons(geometry, arcs)
            for ring in polygon
            for part in split_at_antimeridian(ring)
        ]
        countries.append(
            {
                "numeric": numeric,
                "name": geometry["properties"]["name"],
                "rings": [[natural_earth(lon, lat) for lon, lat in ring] for ring in rings],
            }
        )

    xs = [x for c in countries for ring in c["rings"] for x, _ in ring]
    ys = [y for c in countries for ring in c["rings"] for _, y in ring]
    scale = (WIDTH - 2 * PADDING) / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale + 2 * PADDING, 1)
    left, top = min(xs), max(ys)

    def to_svg(point):
        return (PADDING + (point[0] - left) * scale, PADDING + (top - point[1]) * scale)

    out = []
    for country in countries:
        rings = [[to_svg(p) for p in ring] for ring in country["rings"]]
        cx = [x for ring in rings for x, _ in ring]
        cy = [y for ring in rings for _, y in ring]
        # The largest ring's box centre: where a marker goes for countries too small to click.
        main = max(
            rings,
            key=lambda ring: (
                (max(x for x, _ in ring) - min(x for x, _ in ring))
                * (max(y for _, y in ring) - min(y for _, y in ring))
            ),
        )
        mx = [x for x, _ in main]
        my = [y for _, y in main]
        out.append(
            {
                "numeric": country["numeric"],
                "name": country["name"],
                "bbox": [round(min(cx), 1), round(min(cy), 1), round(max(cx), 1), round(max(cy), 1)],
                "centre": [round((min(mx) + max(mx)) / 2, 1), round((min(my) + max(my)) / 2, 1)],
                "d": path_data(rings),
            }
        )
    out.sort(key=lambda c: (c["numeric"] or "~", c["name"]))
    insets = {}
    for name, ((lon0, lat0), (lon1, lat1)) in INSETS.items():
        edge = [(lon0 + (lon1 - lon0) * i / 20, lat) for i in range(21) for lat in (lat0, lat1)]
        edge += [(lon, lat0 + (lat1 - lat0) * i / 20) for i in range(21) for lon in (lon0, lon1)]
        points = [to_svg(natural_earth(lon, lat)) for lon, lat in edge]
        x0, y0 = min(x for x, _ in points), min(y for _, y in points)
        insets[name] = [
            round(x0, 1),
            round(y0, 1),
            round(max(x for x, _ in points) - x0, 1),
            round(max(y for _, y in points) - y0, 1),
        ]
    return {
        "source": "world-atlas 2.0.2 countries-110m.json (Natural Earth 1:110m Cultural Vectors, public domain); "
        "ISC licence: see world-atlas-LICENSE.txt",
        "projection": "Natural Earth I",
        "left_out": "Antarctica",
        "width": WIDTH,
        "height": height,
        "insets": insets,
        "countries": out,
    }


def main(argv):
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    target = Path(argv[2]) if len(argv) > 2 else DEFAULT_TARGET
    if not source.exists():
        sys.exit(f"{source} not found: run `npm ci` first (world-atlas is a pinned dev dependency).")
    data = build(json.loads(source.read_text()))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    licence = source.parent / "LICENSE"
    if licence.exists():
        (target.parent / "world-atlas-LICENSE.txt").write_text(licence.read_text())
    print(f"{target}: {len(data['countries'])} countries, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)
