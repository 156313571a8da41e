package io.mailfleet.core.tlsrpt;

import java.util.ArrayList;
import java.util.List;

/** The {@code _smtp._tls.<domain>} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=mailto:a@b,https://...}. */
public final class TlsRptTxt {

    private TlsRptTxt() {
    }

    /**
     * The {@code rua} URIs of the domain's record; empty when there is none, more than one, or it
     * has no rua. URIs are returned as written ({@code mailto:...}, {@code https:...}).
     */
    public static List<String> rua(List<String> txts) {
        String found = null;
        for (String t : txts) {
            String s = t.strip();
            if (s.startsWith("v=TLSRPTv1;") || s.equals("v=TLSRPTv1")) {
                if (found != null) {
                    return List.of();
                }
                found = s;
            }
        }
        if (found == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String field : found.split(";")) {
            String f = field.strip();
            if (f.startsWith("rua=")) {
                for (String uri : f.substring(4).split(",")) {
                    if (!uri.isBlank()) {
                        out.add(uri.strip());
                    }
                }
            }
        }
        return out;
    }
}
