package io.mailfleet.server.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * One record a domain should publish. {@code value} is the RDATA as a zone file writes it, except for TXT
 * where it is the record's text unquoted (what a resolver answers, strings joined).
 *
 * @param name    the owner name, without the trailing dot
 * @param type    MX, TXT, SRV or TLSA
 * @param comment one line saying what the record is for
 */
public record DnsRecord(String name, String type, String value, String comment) {

    /** The zone-file line: {@code name. IN TYPE rdata ; comment}. */
    public String zoneLine() {
        return name + ". IN " + type + " " + rdata() + " ; " + comment;
    }

    /** The RDATA as a zone file writes it: TXT quoted, long text split in strings of 255 characters. */
    public String rdata() {
        return type.equals("TXT") ? quoted(value) : value;
    }

    private static String quoted(String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            String part = text.substring(i, Math.min(text.length(), i + 255));
            parts.add('"' + part.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        if (parts.isEmpty()) {
            parts.add("\"\"");
        }
        return parts.size() == 1 ? parts.get(0) : "( " + String.join(" ", parts) + " )";
    }
}
