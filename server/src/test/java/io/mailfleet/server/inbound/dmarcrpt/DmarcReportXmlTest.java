package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.report.DmarcDkimAuth;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcRow;
import io.mailfleet.core.auth.dmarc.report.DmarcRowCount;
import io.mailfleet.core.auth.dmarc.report.DmarcRua;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The appendix C XML, its gzip form, and the rua= addresses with their size limits. */
class DmarcReportXmlTest {

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    void reportHasMetadataPolicyAndOneRecordPerRow() throws Exception {
        DmarcRow failed = new DmarcRow("192.0.2.1", "example.com", "evil<&>.test", "reject", "fail", "fail",
                List.of(new DmarcDkimAuth("evil.test", "s1", "fail"), new DmarcDkimAuth("x.test", "s\u00012", "pass")),
                "evil.test", "mfrom", "softfail");
        DmarcRow passed = new DmarcRow("2001:db8::1", "example.com", "", "none", "pass", "fail", List.of(), "", null, "");
        DmarcReportDay day = new DmarcReportDay("example.com", "2026-12-06",
                List.of(new DmarcRowCount(failed, 7), new DmarcRowCount(passed, 1)), 2);
        DmarcRecord published = DmarcRecord.parse("v=DMARC1; p=quarantine; sp=reject; pct=50; aspf=s").orElseThrow();
        String xml = DmarcReportXml.xml(day, published, "1:d", "mx.receiver.test", "reports@receiver.test",
                "id-1@receiver.test", Instant.ofEpochSecond(1_796_515_200L), Instant.ofEpochSecond(1_796_601_599L));
        byte[] gz = DmarcReportXml.gzip(xml);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new GZIPInputStream(new ByteArrayInputStream(gz)));
        Element root = doc.getDocumentElement();
        assertEquals("feedback", root.getTagName());
        Element meta = (Element) root.getElementsByTagName("report_metadata").item(0);
        assertEquals("mx.receiver.test", text(meta, "org_name"));
        assertEquals("reports@receiver.test", text(meta, "email"));
        assertEquals("id-1@receiver.test", text(meta, "report_id"));
        assertEquals("1796515200", text(meta, "begin"));
        assertEquals("1796601599", text(meta, "end"));
        assertEquals("2 messages not listed: the day reached its row limit", text(meta, "error"));
        Element policy = (Element) root.getElementsByTagName("policy_published").item(0);
        assertEquals("example.com", text(policy, "domain"));
        assertEquals("r", text(policy, "adkim"));
        assertEquals("s", text(policy, "aspf"));
        assertEquals("quarantine", text(policy, "p"));
        assertEquals("reject", text(policy, "sp"));
        assertEquals("50", text(policy, "pct"));
        assertEquals("1:d", text(policy, "fo"));
        assertEquals(2, root.getElementsByTagName("record").getLength());
        Element r1 = (Element) root.getElementsByTagName("record").item(0);
        assertEquals("192.0.2.1", text(r1, "source_ip"));
        assertEquals("7", text(r1, "count"));
        assertEquals("reject", text(r1, "disposition"));
        assertEquals("evil<&>.test", text(r1, "envelope_from"), "escaped, read back whole");
        assertEquals("example.com", text(r1, "header_from"));
        Element auth = (Element) r1.getElementsByTagName("auth_results").item(0);
        assertEquals(2, auth.getElementsByTagName("dkim").getLength());
        Element dkim2 = (Element) auth.getElementsByTagName("dkim").item(1);
        assertEquals("x.test s?2 pass", text(dkim2, "domain") + " " + text(dkim2, "selector") + " " + text(dkim2, "result"));
        Element spf = (Element) auth.getElementsByTagName("spf").item(0);
        assertEquals("evil.test mfrom softfail", text(spf, "domain") + " " + text(spf, "scope") + " " + text(spf, "result"));
        Element r2 = (Element) root.getElementsByTagName("record").item(1);
        assertEquals(0, r2.getElementsByTagName("envelope_from").getLength(), "null sender: no envelope_from");
        assertEquals("none", text((Element) r2.getElementsByTagName("spf").item(1), "result"), "spf not checked");
    }

    @Test
    void ruaKeepsMailtoAddressesWithTheirSizeLimits() {
        assertEquals(List.of(new DmarcRua("a@example.com", Long.MAX_VALUE), new DmarcRua("b@other.test", 10L << 20),
                        new DmarcRua("c@x.test", 500)),
                DmarcRua.parse("v=DMARC1; p=none; rua=mailto:a@Example.com, mailto:b@other.test!10m,"
                        + "https://r.test/x, mailto:not-an-address, mailto:c@x.test!500; ruf=mailto:f@x.test"));
        assertEquals(List.of(), DmarcRua.parse("v=DMARC1; p=none"));
        assertEquals("other.test", new DmarcRua("b@other.test", 1).domain());
        assertEquals(List.of(new DmarcRua("d@x.test", Long.MAX_VALUE)),
                DmarcRua.parse("v=DMARC1; rua=mailto:d@x.test!999999999999t"), "a huge limit is no limit");
    }

    @Test
    void attachmentIsNamedAsSection7211Says() {
        assertEquals("mx.receiver.test!example.com!1796515200!1796601599.xml.gz",
                DmarcReportMessage.fileName("mx.receiver.test", "example.com", Instant.ofEpochSecond(1_796_515_200L),
                        Instant.ofEpochSecond(1_796_601_599L)));
    }
}
