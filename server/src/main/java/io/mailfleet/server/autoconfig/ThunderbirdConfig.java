package io.mailfleet.server.autoconfig;

import io.mailfleet.server.autoconfig.ClientEndpoints.Endpoint;
import io.mailfleet.server.autoconfig.ClientEndpoints.Protocol;

/**
 * Thunderbird's autoconfig document ({@code config-v1.1.xml}, the format of the ISP database): one
 * incoming server per IMAP/POP3 endpoint, one outgoing per submission endpoint, the login being the
 * whole address.
 */
final class ThunderbirdConfig {

    private ThunderbirdConfig() {
    }

    static String render(String domain, ClientEndpoints endpoints) {
        String d = Xml.escape(domain);
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<clientConfig version=\"1.1\">\n")
                .append("  <emailProvider id=\"").append(d).append("\">\n")
                .append("    <domain>").append(d).append("</domain>\n")
                .append("    <displayName>").append(d).append("</displayName>\n")
                .append("    <displayShortName>").append(d).append("</displayShortName>\n");
        for (Endpoint e : endpoints.of(Protocol.IMAP)) {
            server(sb, "incomingServer", "imap", endpoints.hostname(), e);
        }
        for (Endpoint e : endpoints.of(Protocol.POP3)) {
            server(sb, "incomingServer", "pop3", endpoints.hostname(), e);
        }
        for (Endpoint e : endpoints.of(Protocol.SMTP)) {
            server(sb, "outgoingServer", "smtp", endpoints.hostname(), e);
        }
        return sb.append("  </emailProvider>\n</clientConfig>\n").toString();
    }

    private static void server(StringBuilder sb, String element, String type, String host, Endpoint e) {
        sb.append("    <").append(element).append(" type=\"").append(type).append("\">\n")
                .append("      <hostname>").append(Xml.escape(host)).append("</hostname>\n")
                .append("      <port>").append(e.port()).append("</port>\n")
                .append("      <socketType>").append(switch (e.security()) {
                    case SSL -> "SSL";
                    case STARTTLS -> "STARTTLS";
                    case PLAIN -> "plain";
                }).append("</socketType>\n")
                .append("      <authentication>password-cleartext</authentication>\n")
                .append("      <username>%EMAILADDRESS%</username>\n")
                .append("    </").append(element).append(">\n");
    }
}
