package io.mailfleet.protocols.outbound;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A complete (possibly multi-line) SMTP reply from the remote server. */
record RemoteReply(int code, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    RemoteReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code / 100 == 2;
    }

    boolean intermediate() {
        return code / 100 == 3;
    }

    boolean transientFailure() {
        return code / 100 == 4;
    }

    /** The enhanced status the server gave, or one derived from the basic code class. */
    String status(String fallbackDetail) {
        if (!lines.isEmpty()) {
            Matcher m = ENHANCED.matcher(lines.get(0));
            if (m.find() && m.group(1).charAt(0) - '0' == code / 100) {
                return m.group(1) + "." + m.group(2) + "." + m.group(3);
            }
        }
        int cls = code / 100 == 2 ? 2 : code / 100 == 4 ? 4 : 5;
        return cls + "." + fallbackDetail;
    }

    /** One-line text as used in logs and DSN Diagnostic-Code: {@code 550 5.1.1 no such user}. */
    String text() {
        return code + " " + String.join(" ", lines);
    }
}
