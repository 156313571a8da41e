package io.mailfleet.core.spam;

/**
 * One rule that hit, with its weight (positive: spammy, negative: a sign of legitimate mail), as
 * Rspamd names its symbols and SpamAssassin its tests.
 */
public record SpamSymbol(String name, double weight, String description) {

    /** {@code NAME=weight} as X-Spam-Status lists them. */
    public String shown() {
        String w = Double.toString(weight);
        return name + "=" + (w.endsWith(".0") ? w.substring(0, w.length() - 2) : w);
    }
}
