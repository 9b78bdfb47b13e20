#!/usr/bin/env python3
"""Turns Natural Earth's 1:110m countries (TopoJSON from the npm package world-atlas 2.0.2, ISC
licence, Natural Earth data in the public domain) into the SVG paths Steward's report map draws.

    curl -sO https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz && tar xzf world-atlas-2.0.2.tgz
    python3 tools/world_map.py package/countries-110m.json > crates/steward-server/assets/world-110m.tsv

Output: one line per country, `ISO 3166-1 numeric<TAB>name<TAB>SVG path`, in an equirectangular
projection 1000 units wide (longitude -180..180) and 440 high (latitude 84..-60: Antarctica is
left out, no labour case happens there). Coordinates are rounded to 0.1 unit.
"""
import json
import sys

W, TOP, BOTTOM = 1000.0, 84.0, -60.0
H = W / 360.0 * (TOP - BOTTOM)


def main(path):
    topo = json.load(open(path))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices):
        pts = []
        for i in indices:
            a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            pts.extend(a if not pts else a[1:])
        return pts

    def project(lon, lat):
        lat = max(min(lat, TOP), BOTTOM)
        return (lon + 180.0) / 360.0 * W, (TOP - lat) / (TOP - BOTTOM) * H

    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        cid = g.get("id")
        if not cid or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        parts = []
        for poly in polys:
            for r in poly:
                pts = [project(lon, lat) for lon, lat in ring(r)]
                if all(lat <= BOTTOM for _, lat in ring(r)):
                    continue
                d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z"
                parts.append(d)
        if parts:
            out.append(f"{cid}\t{g['properties']['name']}\t{''.join(parts)}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
