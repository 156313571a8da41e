package io.mailfleet.core.auth.dmarc.report;

/** One DKIM signature's result in a report row ({@code auth_results/dkim}). */
public record DmarcDkimAuth(String domain, String selector, String result) {

    public DmarcDkimAuth {
        domain = domain == null ? "" : domain;
        selector = selector == null ? "" : selector;
    }
}
