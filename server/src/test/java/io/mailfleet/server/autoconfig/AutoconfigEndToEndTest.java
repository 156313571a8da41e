package io.mailfleet.server.autoconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The auto-configuration listener of a real node with TLS (self-signed), fetched as the clients do
 * with {@code java.net.http}: every document names the ports and TLS modes the node's listeners really
 * run (implicit TLS first, then STARTTLS), for a local domain only.
 */
class AutoconfigEndToEndTest {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everyClientFormatDescribesTheRunningListeners() throws Exception {
        int port = TestServers.freePort();
        Map<String, String> env = TestServers.env(data, Map.of("SSL_TYPE", "self-signed", "MAILFLEET_AUTOCONFIG", "1",
                "MAILFLEET_AUTOCONFIG_BIND", "127.0.0.1", "MAILFLEET_AUTOCONFIG_PORT", Integer.toString(port)));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            int imaps = server.listeners().imapPorts().get(true);
            int imap = server.listeners().imapPorts().get(false);
            int pop3s = server.listeners().otherPorts().get("pop3s");
            int pop3 = server.listeners().otherPorts().get("pop3");
            int submissions = server.listeners().smtpPorts().get(SmtpMode.SUBMISSIONS);
            int submission = server.listeners().smtpPorts().get(SmtpMode.SUBMISSION);
            String base = "http://127.0.0.1:" + port;

            // Thunderbird: the well-known path with ?emailaddress=, and autoconfig.<domain> by Host alone (java.net.http
            // does not let a test set Host, so that request goes over a plain wire)
            HttpResponse<String> wellKnown = send(get(base
                    + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=user%40example.com"));
            assertEquals(200, wellKnown.statusCode(), wellKnown.body());
            for (String body : List.of(wellKnown.body(), byHost(port, "autoconfig.example.com", "/mail/config-v1.1.xml"))) {
                Document doc = xml(body);
                assertEquals("example.com", text(doc, "domain").get(0));
                assertEquals(List.of("imap " + imaps + " SSL", "imap " + imap + " STARTTLS",
                        "pop3 " + pop3s + " SSL", "pop3 " + pop3 + " STARTTLS"), servers(doc, "incomingServer"));
                assertEquals(List.of("smtp " + submissions + " SSL", "smtp " + submission + " STARTTLS"),
                        servers(doc, "outgoingServer"));
                assertTrue(text(doc, "hostname").stream().allMatch("mail.example.com"::equals));
                assertTrue(text(doc, "username").stream().allMatch("%EMAILADDRESS%"::equals));
            }
            assertEquals(404, send(get(base + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=a%40other.org"))
                    .statusCode(), "a domain this server does not serve");

            // Outlook: the POX request, path in Outlook's own capitals
            String request = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/"
                    + "exchange/autodiscover/outlook/requestschema/2006\"><Request><EMailAddress>user@example.com</EMailAddress>"
                    + "<AcceptableResponseSchema>" + Autodiscover.OUTLOOK_SCHEMA + "</AcceptableResponseSchema></Request>"
                    + "</Autodiscover>";
            HttpResponse<String> pox = send(post(base + "/Autodiscover/Autodiscover.xml", request));
            assertEquals(200, pox.statusCode(), pox.body());
            Document d = xml(pox.body());
            List<String> protocols = new ArrayList<>();
            NodeList ps = d.getElementsByTagNameNS("*", "Protocol");
            for (int i = 0; i < ps.getLength(); i++) {
                Element p = (Element) ps.item(i);
                String enc = p.getElementsByTagNameNS("*", "Encryption").item(0).getTextContent();
                protocols.add(child(p, "Type") + " " + child(p, "Port") + " " + enc + " " + child(p, "LoginName"));
            }
            assertEquals(List.of("IMAP " + imaps + " SSL user@example.com", "IMAP " + imap + " TLS user@example.com",
                    "POP3 " + pop3s + " SSL user@example.com", "POP3 " + pop3 + " TLS user@example.com",
                    "SMTP " + submissions + " SSL user@example.com", "SMTP " + submission + " TLS user@example.com"),
                    protocols);
            // an entity-expansion attack is no request at all
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<Autodiscover><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>";
            assertEquals(404, send(post(base + "/autodiscover/autodiscover.xml", xxe)).statusCode());
            assertEquals(413, send(post(base + "/autodiscover/autodiscover.xml", "<a>" + "x".repeat(100_000) + "</a>"))
                    .statusCode(), "an oversized body is refused");

            // Outlook's v2 JSON points at the POX service
            HttpResponse<String> v2 = send(get(base
                    + "/autodiscover/autodiscover.json/v1.0/user@example.com?Protocol=AutodiscoverV1"));
            assertEquals(200, v2.statusCode(), v2.body());
            JsonNode json = new ObjectMapper().readTree(v2.body());
            assertEquals("AutodiscoverV1", json.get("Protocol").asText());
            assertEquals("https://autodiscover.example.com/autodiscover/autodiscover.xml", json.get("Url").asText());
            assertEquals(400, send(get(base + "/autodiscover/autodiscover.json/v1.0/user@example.com?Protocol=ActiveSync"))
                    .statusCode());

            // Apple: a profile to download, with the implicit-TLS IMAP and submission ports
            HttpResponse<String> apple = send(get(base + "/apple/mobileconfig?emailaddress=user%40example.com"));
            assertEquals(200, apple.statusCode(), apple.body());
            assertEquals("application/x-apple-aspen-config", apple.headers().firstValue("Content-Type").orElse(""));
            assertTrue(apple.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
            String plist = apple.body();
            assertTrue(plist.contains("<key>IncomingMailServerPortNumber</key>\n      <integer>" + imaps + "</integer>"), plist);
            assertTrue(plist.contains("<key>OutgoingMailServerPortNumber</key>\n      <integer>" + submissions + "</integer>"),
                    plist);
            assertTrue(plist.contains("<string>com.apple.mail.managed</string>"), plist);
            xml(plist.replaceFirst("<!DOCTYPE[^>]*>", ""));
        }
    }

    /** GET {@code path} with {@code Host: host} over a plain wire; the body of a 200 answer. */
    private static String byHost(int port, String host, String path) throws Exception {
        try (Wire w = Wire.lines(port)) {
            w.write("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", w.line());
            while (!w.line().isEmpty()) {
                // headers
            }
            StringBuilder body = new StringBuilder();
            for (String l = w.lineOrNull(); l != null; l = w.lineOrNull()) {
                body.append(l).append('\n');
            }
            return body.toString();
        }
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build();
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static Document xml(String s) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> text(Document doc, String tag) {
        List<String> out = new ArrayList<>();
        NodeList n = doc.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            out.add(n.item(i).getTextContent());
        }
        return out;
    }

    private static String child(Element e, String tag) {
        return e.getElementsByTagNameNS("*", tag).item(0).getTextContent();
    }

    /** "type port socketType" of each server element. */
    private static List<String> servers(Document doc, String tag) {
        List<String> out = new ArrayList<>();
        NodeList n = doc.getElementsByTagName(tag);
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            out.add(e.getAttribute("type") + " " + child(e, "port") + " " + child(e, "socketType"));
        }
        return out;
    }
}
