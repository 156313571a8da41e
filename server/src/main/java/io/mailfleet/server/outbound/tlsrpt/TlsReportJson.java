package io.mailfleet.server.outbound.tlsrpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsRptFailureCount;
import io.mailfleet.core.tlsrpt.TlsRptPolicyTally;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/** The RFC 8460 §4 JSON report of one policy domain and one period, and its gzip form. */
public final class TlsReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TlsReportJson() {
    }

    /** The report as JSON text. */
    public static String json(TlsRptDay day, String organization, String contactInfo, String reportId,
                              Instant start, Instant end) {
        ObjectNode root = JSON.createObjectNode();
        root.put("organization-name", organization);
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", start.toString());
        range.put("end-datetime", end.toString());
        root.put("contact-info", contactInfo);
        root.put("report-id", reportId);
        ArrayNode policies = root.putArray("policies");
        for (TlsRptPolicyTally t : day.policies()) {
            ObjectNode p = policies.addObject();
            ObjectNode policy = p.putObject("policy");
            policy.put("policy-type", t.policyType());
            if (!t.policyStrings().isEmpty()) {
                ArrayNode strings = policy.putArray("policy-string");
                t.policyStrings().forEach(strings::add);
            }
            policy.put("policy-domain", day.policyDomain());
            if (!t.mxHosts().isEmpty()) {
                ArrayNode mx = policy.putArray("mx-host");
                t.mxHosts().forEach(mx::add);
            }
            ObjectNode summary = p.putObject("summary");
            summary.put("total-successful-session-count", t.successes());
            summary.put("total-failure-session-count", t.failureTotal());
            if (!t.failures().isEmpty()) {
                ArrayNode details = p.putArray("failure-details");
                for (TlsRptFailureCount f : t.failures()) {
                    ObjectNode d = details.addObject();
                    d.put("result-type", f.resultType());
                    if (!f.receivingMxHostname().isEmpty()) {
                        d.put("receiving-mx-hostname", f.receivingMxHostname());
                    }
                    if (!f.receivingIp().isEmpty()) {
                        d.put("receiving-ip", f.receivingIp());
                    }
                    d.put("failed-session-count", f.count());
                    if (!f.failureReasonCode().isEmpty()) {
                        d.put("failure-reason-code", f.failureReasonCode());
                    }
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("TLS report not serializable: " + e.getMessage(), e);
        }
    }

    /** The JSON gzip-compressed, as RFC 8460 §5.3 sends it ({@code application/tlsrpt+gzip}). */
    public static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
