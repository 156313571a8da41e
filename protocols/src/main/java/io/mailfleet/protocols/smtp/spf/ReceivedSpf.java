package io.mailfleet.protocols.smtp.spf;

import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.auth.spf.SpfVerdict;
import io.mailfleet.core.mime.FieldText;

import java.net.InetAddress;

/**
 * The {@code Received-SPF:} header field of RFC 7208 section 9.1, folded so no line is long. Every value
 * that comes from the client is quoted or escaped: a forger must not be able to add key-value pairs.
 */
final class ReceivedSpf {

    private ReceivedSpf() {
    }

    static String field(SpfVerdict v, InetAddress ip, String identity, String sender, String helo, String receiver,
                        boolean heloIdentity) {
        String addr = ip.getHostAddress();
        String comment = receiver + ": " + comment(v.result(), identity, addr);
        StringBuilder b = new StringBuilder("Received-SPF: ").append(v.result().keyword())
                .append(" (").append(FieldText.comment(comment)).append(")\r\n")
                .append("\tclient-ip=").append(addr).append(";\r\n")
                .append("\tenvelope-from=").append(FieldText.quoted(sender)).append(";\r\n");
        if (helo != null && !helo.isEmpty()) {
            b.append("\thelo=").append(FieldText.quoted(helo)).append(";\r\n");
        }
        return b.append("\treceiver=").append(FieldText.quoted(receiver)).append(";\r\n")
                .append("\tidentity=").append(heloIdentity ? "helo" : "mailfrom").append("\r\n").toString();
    }

    private static String comment(SpfResult r, String identity, String ip) {
        return switch (r) {
            case PASS -> "domain of " + identity + " designates " + ip + " as permitted sender";
            case FAIL -> "domain of " + identity + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> "transitioning domain of " + identity + " does not designate " + ip
                    + " as permitted sender";
            case NEUTRAL -> ip + " is neither permitted nor denied by domain of " + identity;
            case NONE -> "domain of " + identity + " does not provide an SPF record";
            case TEMPERROR -> "error in processing during lookup of " + identity + ": DNS error";
            case PERMERROR -> "error in processing the SPF record of " + identity;
        };
    }
}
