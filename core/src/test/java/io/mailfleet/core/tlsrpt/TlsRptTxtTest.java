package io.mailfleet.core.tlsrpt;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 8460 §3: the {@code _smtp._tls} record. */
class TlsRptTxtTest {

    @Test
    void ruaUris() {
        assertEquals(List.of("mailto:tlsrpt@example.com"), TlsRptTxt.rua(List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com")));
        assertEquals(List.of("mailto:a@example.com", "https://reports.example.com/v1"),
                TlsRptTxt.rua(List.of("v=spf1 -all", "v=TLSRPTv1;rua=mailto:a@example.com,https://reports.example.com/v1;")));
        assertEquals(List.of(), TlsRptTxt.rua(List.of("v=TLSRPTv1; rua=mailto:a@x", "v=TLSRPTv1; rua=mailto:b@x")),
                "two records: none");
        assertEquals(List.of(), TlsRptTxt.rua(List.of("v=TLSRPTv1;")));
        assertEquals(List.of(), TlsRptTxt.rua(List.of("v=TLSRPTv2; rua=mailto:a@x")));
    }
}
