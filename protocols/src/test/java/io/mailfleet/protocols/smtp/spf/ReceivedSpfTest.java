package io.mailfleet.protocols.smtp.spf;

import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.auth.spf.SpfVerdict;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Received-SPF field keeps client-chosen text inside its quoted values and its comment. */
class ReceivedSpfTest {

    @Test
    void aQuotedLocalPartCannotAddKeyValuePairsOrEndTheComment() throws Exception {
        String sender = "\"a\\\";identity=helo;\\\") x\"@evil.test";
        String field = ReceivedSpf.field(new SpfVerdict(SpfResult.FAIL, null, "-all"),
                InetAddress.getByName("192.0.2.1"), sender, sender, "evil.test", "mail.example.com", false);
        assertEquals("Received-SPF: fail (mail.example.com: domain of \"a\\\\\";identity=helo;\\\\\"\\) x\"@evil.test"
                + " does not designate 192.0.2.1 as permitted sender)\r\n"
                + "\tclient-ip=192.0.2.1;\r\n"
                + "\tenvelope-from=\"\\\"a\\\\\\\";identity=helo;\\\\\\\") x\\\"@evil.test\";\r\n"
                + "\thelo=\"evil.test\";\r\n\treceiver=\"mail.example.com\";\r\n\tidentity=mailfrom\r\n", field);
    }

    @Test
    void theNullSenderIsTheHeloIdentity() throws Exception {
        String field = ReceivedSpf.field(new SpfVerdict(SpfResult.NONE, null, "no record"),
                InetAddress.getByName("2001:db8::1"), "postmaster@client.test", "", "client.test", "mx.test", true);
        assertEquals("Received-SPF: none (mx.test: domain of postmaster@client.test does not provide an SPF record)\r\n"
                + "\tclient-ip=2001:db8:0:0:0:0:0:1;\r\n\tenvelope-from=\"\";\r\n\thelo=\"client.test\";\r\n"
                + "\treceiver=\"mx.test\";\r\n\tidentity=helo\r\n", field);
    }
}
