package io.mailfleet.server.mtasts;

import io.mailfleet.server.config.MtaStsServerSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The MTA-STS policy (RFC 8461 §3.2) of the hosted domains, the same text for each: what the HTTPS
 * listener serves and what {@code config dns} derives the {@code _mta-sts} TXT record's id from.
 *
 * @param text the policy file, LF line ends
 */
public record OwnPolicy(String text) {

    /** The policy of these settings; {@code mx} empty means the node's {@code hostname}. */
    public static OwnPolicy of(MtaStsServerSettings settings, String hostname) {
        return of(settings.mode(), settings.maxAge(), settings.mx().isEmpty()
                ? List.of(hostname.toLowerCase(Locale.ROOT)) : settings.mx());
    }

    /** The policy with these fields. */
    public static OwnPolicy of(String mode, long maxAge, List<String> mx) {
        StringBuilder b = new StringBuilder("version: STSv1\nmode: ").append(mode).append('\n');
        for (String m : mx) {
            b.append("mx: ").append(m).append('\n');
        }
        return new OwnPolicy(b.append("max_age: ").append(maxAge).append('\n').toString());
    }

    /** An id that changes whenever the policy text does (RFC 8461 §3.1: 1 to 32 alphanumerics): 20 hex digits of its SHA-256. */
    public String id() {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
