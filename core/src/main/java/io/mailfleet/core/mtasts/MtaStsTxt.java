package io.mailfleet.core.mtasts;

import java.util.List;
import java.util.Optional;

/** The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1): {@code v=STSv1; id=...;}. */
public final class MtaStsTxt {

    private MtaStsTxt() {
    }

    /**
     * The policy id of the domain's record, or empty when there is no usable record: none starts
     * with {@code v=STSv1}, more than one does (RFC 8461 §3.1: then there is no policy), or its id
     * is missing or not 1-32 letters and digits.
     *
     * @param txts the TXT strings, each record's strings already joined
     */
    public static Optional<String> policyId(List<String> txts) {
        String found = null;
        for (String t : txts) {
            String s = t.strip();
            if (s.startsWith("v=STSv1;") || s.equals("v=STSv1")) {
                if (found != null) {
                    return Optional.empty();
                }
                found = s;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        for (String field : found.split(";")) {
            String f = field.strip();
            if (f.startsWith("id=")) {
                String id = f.substring(3).strip();
                return id.matches("[A-Za-z0-9]{1,32}") ? Optional.of(id) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
