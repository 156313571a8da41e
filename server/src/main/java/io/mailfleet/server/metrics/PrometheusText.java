package io.mailfleet.server.metrics;

import java.util.Locale;
import java.util.Map;

/**
 * Builds the Prometheus text exposition format (version 0.0.4): per metric a {@code # HELP} and a
 * {@code # TYPE} line, then one sample line per label set. Label values are escaped as the format asks.
 */
final class PrometheusText {

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a metric; {@code type} is {@code gauge} or {@code counter}. */
    PrometheusText metric(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample without labels. */
    PrometheusText sample(String name, double value) {
        return sample(name, Map.of(), value);
    }

    /** A sample with labels (in the map's order). */
    PrometheusText sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
