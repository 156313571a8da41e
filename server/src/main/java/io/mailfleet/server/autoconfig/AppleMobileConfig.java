package io.mailfleet.server.autoconfig;

import io.mailfleet.server.autoconfig.ClientEndpoints.Endpoint;
import io.mailfleet.server.autoconfig.ClientEndpoints.Protocol;
import io.mailfleet.server.autoconfig.ClientEndpoints.Security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * An Apple configuration profile ({@code .mobileconfig}, unsigned) with one {@code com.apple.mail.managed}
 * payload: the preferred IMAP endpoint (POP3 when IMAP is off) and the preferred submission endpoint.
 * The UUIDs derive from the address, so downloading the profile again replaces the installed one.
 */
final class AppleMobileConfig {

    private AppleMobileConfig() {
    }

    /** The profile, or null when the node runs no incoming or no outgoing listener. */
    static String render(String address, ClientEndpoints endpoints) {
        List<Endpoint> incoming = endpoints.of(Protocol.IMAP).isEmpty() ? endpoints.of(Protocol.POP3)
                : endpoints.of(Protocol.IMAP);
        List<Endpoint> outgoing = endpoints.of(Protocol.SMTP);
        if (incoming.isEmpty() || outgoing.isEmpty()) {
            return null;
        }
        Endpoint in = incoming.get(0);
        Endpoint out = outgoing.get(0);
        String domain = address.substring(address.indexOf('@') + 1);
        String reverse = reverse(domain);
        String a = Xml.escape(address);
        String host = Xml.escape(endpoints.hostname());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>PayloadContent</key>\n  <array>\n    <dict>\n"
                + key("EmailAccountDescription", a)
                + key("EmailAccountName", a)
                + key("EmailAccountType", in.protocol() == Protocol.IMAP ? "EmailTypeIMAP" : "EmailTypePOP")
                + key("EmailAddress", a)
                + key("IncomingMailServerAuthentication", "EmailAuthPassword")
                + key("IncomingMailServerHostName", host)
                + "      <key>IncomingMailServerPortNumber</key>\n      <integer>" + in.port() + "</integer>\n"
                + bool("IncomingMailServerUseSSL", in.security() != Security.PLAIN)
                + key("IncomingMailServerUsername", a)
                + key("OutgoingMailServerAuthentication", "EmailAuthPassword")
                + key("OutgoingMailServerHostName", host)
                + "      <key>OutgoingMailServerPortNumber</key>\n      <integer>" + out.port() + "</integer>\n"
                + bool("OutgoingMailServerUseSSL", out.security() != Security.PLAIN)
                + key("OutgoingMailServerUsername", a)
                + bool("OutgoingPasswordSameAsIncomingPassword", true)
                + key("PayloadDescription", "Mail account " + a)
                + key("PayloadDisplayName", a)
                + key("PayloadIdentifier", Xml.escape(reverse + ".mail." + address))
                + key("PayloadType", "com.apple.mail.managed")
                + key("PayloadUUID", uuid("account:" + address))
                + "      <key>PayloadVersion</key>\n      <integer>1</integer>\n"
                + "    </dict>\n  </array>\n"
                + "  <key>PayloadDescription</key>\n  <string>Mail settings for " + a + "</string>\n"
                + "  <key>PayloadDisplayName</key>\n  <string>" + Xml.escape(domain) + " mail</string>\n"
                + "  <key>PayloadIdentifier</key>\n  <string>" + Xml.escape(reverse + ".mailprofile." + address) + "</string>\n"
                + "  <key>PayloadRemovalDisallowed</key>\n  <false/>\n"
                + "  <key>PayloadType</key>\n  <string>Configuration</string>\n"
                + "  <key>PayloadUUID</key>\n  <string>" + uuid("profile:" + address) + "</string>\n"
                + "  <key>PayloadVersion</key>\n  <integer>1</integer>\n"
                + "</dict>\n</plist>\n";
    }

    private static String key(String key, String value) {
        return "      <key>" + key + "</key>\n      <string>" + value + "</string>\n";
    }

    private static String bool(String key, boolean value) {
        return "      <key>" + key + "</key>\n      <" + value + "/>\n";
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().toUpperCase(java.util.Locale.ROOT);
    }

    private static String reverse(String domain) {
        String[] parts = domain.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            sb.append(parts[i]).append(i > 0 ? "." : "");
        }
        return sb.toString();
    }
}
