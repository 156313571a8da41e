package io.mailfleet.server.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart as inline SVG (no script, no style sheet needed: colours are presentation
 * attributes, which the page's Content-Security-Policy allows), with a legend and a table of the
 * latest values for readers who do not see the lines.
 */
final class SvgChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 160;
    private static final int LEFT = 48;
    private static final int BOTTOM = 20;
    /** Told apart by colour-blind readers too (Okabe and Ito's palette). */
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
            "#F0E442", "#000000"};

    private SvgChart() {
    }

    static Html render(String id, ChartData.Spec spec, List<ChartData.Line> lines, long from, long to) {
        double max = Math.max(1, lines.stream().mapToDouble(ChartData.Line::max).max().orElse(0));
        double top = niceCeiling(max);
        List<Integer> indexes = java.util.stream.IntStream.range(0, lines.size()).boxed().toList();
        Html paths = Html.each(indexes, i -> {
            StringBuilder points = new StringBuilder();
            for (Map.Entry<Long, Double> p : lines.get(i).points().entrySet()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.getKey(), from, to), y(p.getValue(), top)));
            }
            return Html.of("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
                    COLOURS[i % COLOURS.length], points.toString().strip());
        });
        Html axes = Html.of("""
                <line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/><line x1="{}" y1="0" x2="{}" y2="{}" stroke="#888"/>
                <text x="{}" y="12" font-size="11" text-anchor="end" fill="#333">{}</text>
                <text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">0</text>
                <text x="{}" y="{}" font-size="11" fill="#333">-{}h</text>
                <text x="{}" y="{}" font-size="11" text-anchor="end" fill="#333">now</text>""",
                LEFT, HEIGHT - BOTTOM, WIDTH, HEIGHT - BOTTOM, LEFT, LEFT, HEIGHT - BOTTOM,
                LEFT - 4, number(top), LEFT - 4, HEIGHT - BOTTOM, LEFT, HEIGHT - 4, (to - from) / 60, WIDTH, HEIGHT - 4);
        Html legend = Html.each(indexes, i -> Html.of(
                "<tr><th scope=\"row\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" "
                        + "fill=\"{}\"/></svg> {}</th><td>{}</td><td>{}</td></tr>",
                COLOURS[i % COLOURS.length], lines.get(i).name(), number(lines.get(i).last()), number(lines.get(i).max())));
        return Html.of("""
                <section aria-labelledby="{}-heading">
                <h2 id="{}-heading">{}</h2>
                {}
                </section>
                """, id, id, spec.title(), lines.isEmpty()
                ? Html.of("<p class=\"muted\" id=\"{}\">No data yet.</p>", id)
                : Html.of("""
                <svg id="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="none">{}{}</svg>
                <table class="chart-legend" id="{}-values">
                <thead><tr><th scope="col">{}</th><th scope="col">latest ({})</th><th scope="col">highest</th></tr></thead>
                <tbody>{}</tbody>
                </table>
                """, id, spec.title(), WIDTH, HEIGHT, axes, paths, id, spec.label(),
                spec.unit(), legend));
    }

    private static double x(long minute, long from, long to) {
        return LEFT + (WIDTH - LEFT) * (double) (minute - from) / Math.max(1, to - from);
    }

    private static double y(double value, double top) {
        return (HEIGHT - BOTTOM) * (1 - value / top);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}: axis labels people read at a glance. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
