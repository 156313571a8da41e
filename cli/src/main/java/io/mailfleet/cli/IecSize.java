package io.mailfleet.cli;

/** Human-readable sizes exactly as {@code numfmt --to=iec} prints them (docker-mailserver's email list). */
final class IecSize {

    private static final String UNITS = "KMGTPE";

    private IecSize() {
    }

    static String format(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        double v = bytes;
        int unit = -1;
        while (v >= 1024 && unit < UNITS.length() - 1) {
            v /= 1024;
            unit++;
        }
        // numfmt rounds away from zero: one decimal below 10, whole numbers from 10 up
        if (v < 10) {
            double r = Math.ceil(v * 10 - 1e-9) / 10;
            if (r < 10) {
                return String.format(java.util.Locale.ROOT, "%.1f%c", r, UNITS.charAt(unit));
            }
            v = r;
        }
        long n = (long) Math.ceil(v - 1e-9);
        if (n >= 1024 && unit < UNITS.length() - 1) {
            return "1.0" + UNITS.charAt(unit + 1);
        }
        return n + String.valueOf(UNITS.charAt(unit));
    }
}
