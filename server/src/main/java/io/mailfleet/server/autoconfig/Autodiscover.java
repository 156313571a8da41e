package io.mailfleet.server.autoconfig;

import io.mailfleet.server.autoconfig.ClientEndpoints.Endpoint;
import io.mailfleet.server.autoconfig.ClientEndpoints.Security;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.Optional;

/**
 * Microsoft Autodiscover for Outlook: the POX request ({@code POST /autodiscover/autodiscover.xml},
 * the 2006a Outlook response schema) and the v2 JSON redirect that tells Outlook where the POX service is.
 */
final class Autodiscover {

    static final String OUTLOOK_SCHEMA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private Autodiscover() {
    }

    /**
     * The {@code EMailAddress} of a POX request, empty when the body is no such request. DTDs are refused,
     * so no external entity is ever resolved.
     */
    static Optional<String> requestedAddress(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document doc = b.parse(new ByteArrayInputStream(body));
            NodeList n = doc.getElementsByTagNameNS("*", "EMailAddress");
            if (n.getLength() == 0) {
                return Optional.empty();
            }
            String s = n.item(0).getTextContent().trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The POX response for {@code address}. */
    static String pox(String address, ClientEndpoints endpoints) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n")
                .append("  <Response xmlns=\"").append(OUTLOOK_SCHEMA).append("\">\n")
                .append("    <Account>\n")
                .append("      <AccountType>email</AccountType>\n")
                .append("      <Action>settings</Action>\n");
        for (Endpoint e : endpoints.all()) {
            sb.append("      <Protocol>\n")
                    .append("        <Type>").append(e.protocol().name()).append("</Type>\n")
                    .append("        <Server>").append(Xml.escape(endpoints.hostname())).append("</Server>\n")
                    .append("        <Port>").append(e.port()).append("</Port>\n")
                    .append("        <DomainRequired>off</DomainRequired>\n")
                    .append("        <LoginName>").append(Xml.escape(address)).append("</LoginName>\n")
                    .append("        <SPA>off</SPA>\n")
                    .append("        <SSL>").append(e.security() == Security.PLAIN ? "off" : "on").append("</SSL>\n");
            if (e.security() != Security.PLAIN) {
                sb.append("        <Encryption>").append(e.security() == Security.SSL ? "SSL" : "TLS").append("</Encryption>\n");
            }
            sb.append("        <AuthRequired>on</AuthRequired>\n")
                    .append("      </Protocol>\n");
        }
        return sb.append("    </Account>\n  </Response>\n</Autodiscover>\n").toString();
    }

    /** The v2 JSON answer for {@code Protocol=AutodiscoverV1}: where the POX service of the domain is. */
    static String v2Json(String domain) {
        return "{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover." + jsonEscape(domain)
                + "/autodiscover/autodiscover.xml\"}";
    }

    /** The v2 JSON error for a protocol other than AutodiscoverV1 (no Exchange ActiveSync or EWS here). */
    static String v2Error(String protocol) {
        return "{\"ErrorCode\":\"InvalidProtocol\",\"ErrorMessage\":\"The given protocol value '" + jsonEscape(protocol)
                + "' is invalid. Supported values are 'AutodiscoverV1'.\"}";
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
