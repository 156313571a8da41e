package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.report.DmarcDkimAuth;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import io.mailfleet.core.auth.dmarc.report.DmarcRowCount;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/** The RFC 7489 appendix C XML aggregate report of one policy domain and one period, and its gzip form. */
public final class DmarcReportXml {

    private DmarcReportXml() {
    }

    /**
     * The report as XML text.
     *
     * @param published the domain's record as published when the report is made
     * @param fo        the record's fo= value ("0" when absent)
     */
    public static String xml(DmarcReportDay day, DmarcRecord published, String fo, String orgName, String email,
                             String reportId, Instant begin, Instant end) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("feedback");
            element(w, "version", "1.0");
            w.writeStartElement("report_metadata");
            element(w, "org_name", orgName);
            element(w, "email", email);
            element(w, "report_id", reportId);
            w.writeStartElement("date_range");
            element(w, "begin", Long.toString(begin.getEpochSecond()));
            element(w, "end", Long.toString(end.getEpochSecond()));
            w.writeEndElement();
            if (day.dropped() > 0) {
                element(w, "error", day.dropped() + " messages not listed: the day reached its row limit");
            }
            w.writeEndElement();
            w.writeStartElement("policy_published");
            element(w, "domain", day.policyDomain());
            element(w, "adkim", published.strictDkim() ? "s" : "r");
            element(w, "aspf", published.strictSpf() ? "s" : "r");
            element(w, "p", published.p().keyword());
            element(w, "sp", (published.sp() != null ? published.sp() : published.p()).keyword());
            element(w, "pct", Integer.toString(published.pct()));
            element(w, "fo", fo);
            w.writeEndElement();
            for (DmarcRowCount c : day.rows()) {
                record(w, c.row(), c.count());
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("DMARC report not writable: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void record(XMLStreamWriter w, DmarcRow r, long count) throws XMLStreamException {
        w.writeStartElement("record");
        w.writeStartElement("row");
        element(w, "source_ip", r.sourceIp());
        element(w, "count", Long.toString(count));
        w.writeStartElement("policy_evaluated");
        element(w, "disposition", r.disposition());
        element(w, "dkim", r.dkim());
        element(w, "spf", r.spf());
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("identifiers");
        if (!r.envelopeFrom().isEmpty()) {
            element(w, "envelope_from", r.envelopeFrom());
        }
        element(w, "header_from", r.headerFrom());
        w.writeEndElement();
        w.writeStartElement("auth_results");
        for (DmarcDkimAuth d : r.dkimAuth()) {
            w.writeStartElement("dkim");
            element(w, "domain", d.domain());
            if (!d.selector().isEmpty()) {
                element(w, "selector", d.selector());
            }
            element(w, "result", d.result());
            w.writeEndElement();
        }
        // appendix C requires one spf element; an unchecked transaction reports none
        w.writeStartElement("spf");
        element(w, "domain", r.spfDomain().isEmpty() ? r.envelopeFrom() : r.spfDomain());
        element(w, "scope", r.spfScope());
        element(w, "result", r.spfResult().isEmpty() ? "none" : r.spfResult());
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        // a sender-chosen value (a DKIM selector) must not make the whole report unreadable
        w.writeCharacters(text.replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]", "?"));
        w.writeEndElement();
    }

    /** The XML gzip-compressed, as section 7.2.1.1 sends it. */
    public static byte[] gzip(String xml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
