"""The charts' shapes (documents/monthly_report_charts), the same for the PDF and the screen: numbers
are never cut, texts stay inside the chart, every bar and community can be clicked, and the map
places communities without coordinates by their distance from the tambo."""

from __future__ import annotations

import datetime as dt
import math

from tambo_desktop.documents import monthly_report_charts as charts


def texts(chart: charts.Chart) -> list[charts.Text]:
    return [s for s in chart.shapes if isinstance(s, charts.Text)]


def inside(chart: charts.Chart) -> bool:
    for t in texts(chart):
        width = charts.text_width(t.text, t.size, t.bold)
        left = t.x - (width / 2 if t.anchor == "middle" else width if t.anchor == "end" else 0)
        if left < -0.5 or left + width > chart.width + 0.5:
            return False
    return True


def test_a_narrow_column_chart_drops_what_does_not_fit_and_never_cuts_a_number():
    labels = [f"{m} 26" for m in ("ini", "phi", "mar", "awr", "may", "hun", "hul", "agu", "sip", "ukt", "nuw", "tis")]
    values = [17_669, 13_898, 19_285, 9_381, 9_687, 9_861, 9_184, 8_466, 9_371, 9_246, 7_530, 1_347]
    goals = [8_000] * 12
    keys = [("month", f"2026-{m:02d}") for m in range(1, 13)]
    narrow = charts.column_shapes(labels, values, goals, 250, 150, ["Atenciones", "Meta"], keys, short_labels=True)
    wide = charts.column_shapes(labels, values, goals, 600, 150, ["Atenciones", "Meta"], keys, short_labels=True)
    for chart in (narrow, wide):
        assert inside(chart)
        figures = [t.text for t in texts(chart) if any(ch.isdigit() for ch in t.text) and t.color == charts.WHITE]
        assert all("…" not in f for f in figures)
        assert [h.key for h in chart.hits] == keys
    assert {t.text for t in texts(wide)} >= set(labels)  # room enough: each month with its year
    assert {"ini", "tis"} <= {t.text for t in texts(narrow)}  # too narrow: the months alone
    assert len([t for t in texts(wide) if t.color == charts.WHITE]) > len(
        [t for t in texts(narrow) if t.color == charts.WHITE]
    )


def test_communities_without_coordinates_are_placed_by_their_distance():
    places = [charts.Place(i, f"Comunidad {i}", None, None, float(d), i % 4) for i, d in enumerate((4, 8, 12, 20, 35))]
    places.append(charts.Place(99, "Sin datos", None, None, None, 3))
    legend = ["Hasta 30 días", "31 a 90 días", "91 a 365 días", "Más de un año o nunca"]
    chart = charts.map_shapes(places, 300, 200, legend, "Tambo", "{n} sin coordenadas: no están en el mapa")
    marks = [s for s in chart.shapes if isinstance(s, charts.Mark)][4:]  # after the legend's four
    assert len(marks) == 5 and {h.key for h in chart.hits} == {("community", i) for i in range(5)}
    centre = next(s for s in chart.shapes if isinstance(s, charts.Box) and s.fill == charts.INK)
    cx, cy = centre.x + 3, centre.y + 3
    radii = sorted(math.hypot(m.x - cx, m.y - cy) for m in marks)
    assert radii == sorted(radii) and radii[0] < radii[-1] / 4  # 4 km near the tambo, 35 km far out
    assert any("1 sin coordenadas" in t.text for t in texts(chart))
    assert inside(chart)


def test_the_map_legend_takes_two_rows_when_its_four_texts_do_not_fit_one():
    legend = ["Hasta 30 días", "31 a 90 días", "91 a 365 días", "Maya marat juk'ampi, jan ukax janipuni"]
    places = [
        charts.Place(1, "Jiscullaya", -16.02, -69.75, 8.4, 0),
        charts.Place(2, "Ccopamaya", -16.06, -69.72, 12.6, 2),
    ]
    wide = charts.map_shapes(places, 700, 200, legend, "Tambo")
    narrow = charts.map_shapes(places, 300, 200, legend, "Tambo")
    rows = {round(m.y) for m in narrow.shapes if isinstance(m, charts.Mark) and m.r == 3.6}
    assert len(rows) == 2 and len({round(m.y) for m in wide.shapes if isinstance(m, charts.Mark) and m.r == 3.6}) == 1
    assert all(inside(c) for c in (wide, narrow))
    # north up: Ccopamaya is south of Jiscullaya, so lower on the map
    jiscullaya, ccopamaya = (next(h for h in narrow.hits if h.key == ("community", k)) for k in (1, 2))
    assert ccopamaya.y < jiscullaya.y and ccopamaya.x > jiscullaya.x


def test_the_same_shapes_make_the_printed_drawing():
    chart = charts.pyramid_shapes(["Niñez", "Adultez"], [3, 5], [4, 6], 400, ["Hombre", "Mujer"], title="Usuarios")
    drawing = charts.drawing(chart)
    assert (drawing.width, drawing.height) == (chart.width, chart.height)
    assert len(drawing.contents) == len(chart.shapes)


def test_a_communitys_mark_is_the_age_its_legend_names():
    """«Hasta 30 días» holds the 30th day, «31 a 90 días» the 90th, «91 a 365 días» the rest of the
    year (the map looks back 364 days); not served in it: the last mark."""
    end = dt.date(2026, 11, 30)
    ages = {0: 0, 30: 0, 31: 1, 90: 1, 91: 2, charts.YEAR_BACK: 2}
    assert {age: charts.recency_of(end - dt.timedelta(days=age), end) for age in ages} == ages
    assert charts.recency_of(None, end) == len(charts.RECENCY_MARKS) - 1 == len(charts.RECENCY_LEGEND) - 1
