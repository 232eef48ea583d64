#!/usr/bin/env python3
"""bench/chart.py RESULT.json... > chart.svg: run and floor seconds (linear) against events (logarithmic), one bar per
`bench/run testbed` result with the run's steps stacked, the floor as a dashed line. Standard library only;
bench/RESULTS.md embeds the output."""
import json
import math
import sys

STEPS = ["snapshot", "backfill", "parity", "evaluate", "simulate", "drift", "record"]
COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"]
W, H, LEFT, RIGHT, TOP, BOTTOM = 720, 420, 70, 170, 30, 50


def main(paths):
    results = sorted((json.load(open(p, encoding="utf-8")) for p in paths), key=lambda r: r["events"])
    if not results:
        sys.exit("bench/chart.py: name at least one results file (bench/results/testbed-*.json)")
    xs = [math.log10(r["events"]) for r in results]
    ys = [r["floor_seconds"] for r in results] + [r["testbed_seconds"] for r in results]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    x1 = max(x1, x0 + 1)
    step = 10 ** math.floor(math.log10(max(ys)))  # grid lines: a power of ten, halved until there are 3 or more
    while max(ys) / step < 3:
        step /= 2
    y1 = math.ceil(max(ys) * 1.1 / step) * step

    def px(events):
        return LEFT + (math.log10(events) - x0) / (x1 - x0) * (W - LEFT - RIGHT)

    def py(seconds):
        return H - BOTTOM - seconds / y1 * (H - TOP - BOTTOM)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for d in range(x0, x1 + 1):
        x = px(10 ** d)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{H - BOTTOM}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">10^{d}</text>')
    for tick in range(0, int(y1) + 1, max(int(step), 1)):
        y = py(tick)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,} s</text>')
    out.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{H - 12}" text-anchor="middle">events in the lake</text>')
    # The run: its steps stacked bottom-up at each size.
    for r in results:
        x = px(r["events"])
        phases = {p["phase"]: p["seconds"] for p in r["phases"]}
        below = sum(phases.get(s, 0) for s in ("validate", "plan"))
        for step, color in zip(STEPS, COLORS):
            top = below + phases.get(step, 0)
            if top > below:
                y_top, y_bottom = py(top), py(below)
                out.append(f'<rect x="{x - 9:.1f}" y="{y_top:.1f}" width="18" height="{max(y_bottom - y_top, 0.5):.1f}"'
                           f' fill="{color}"/>')
            below = top
        out.append(f'<text x="{x:.1f}" y="{py(r["testbed_seconds"]) - 6:.1f}" text-anchor="middle">'
                   f'{r["testbed_seconds"]:.0f} s</text>')
    points = " ".join(f'{px(r["events"]):.1f},{py(r["floor_seconds"]):.1f}' for r in results)
    out.append(f'<polyline points="{points}" fill="none" stroke="black" stroke-dasharray="4 3"/>')
    for r in results:
        out.append(f'<circle cx="{px(r["events"]):.1f}" cy="{py(r["floor_seconds"]):.1f}" r="3"/>')
    legend = [("engine floor", None)] + list(zip(STEPS, COLORS))
    for i, (name, color) in enumerate(legend):
        y = TOP + 10 + 18 * i
        if color:
            out.append(f'<rect x="{W - RIGHT + 16}" y="{y - 9}" width="12" height="12" fill="{color}"/>')
        else:
            out.append(f'<line x1="{W - RIGHT + 14}" y1="{y - 3}" x2="{W - RIGHT + 30}" y2="{y - 3}" stroke="black"'
                       f' stroke-dasharray="4 3"/>')
        out.append(f'<text x="{W - RIGHT + 36}" y="{y + 1}">{name}</text>')
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
