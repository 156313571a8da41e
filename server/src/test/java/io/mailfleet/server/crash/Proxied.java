package io.mailfleet.server.crash;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Client connections that reach a node through a PROXY protocol (v1) load balancer, so the node judges
 * the client by the address in the header. The ban list never bans loopback (127.0.0.0/8), so this is
 * how a test on one machine plays an outside client.
 */
final class Proxied {

    private Proxied() {
    }

    /** A connection to {@code 127.0.0.1:port} that announces itself as coming from {@code clientIp}. */
    static Socket connect(int port, String clientIp, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(readTimeoutMillis);
            s.getOutputStream().write(("PROXY TCP4 " + clientIp + " 192.0.2.1 40000 " + port + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * What a new connection from {@code clientIp} is told first: its first line, or {@code null} when the
     * node closed it without sending a byte (a ban dropping it at accept).
     */
    static String firstLine(int port, String clientIp) throws IOException {
        try (Socket s = connect(port, clientIp, 10_000)) {
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            try {
                while ((c = in.read()) >= 0 && c != '\n') {
                    line.append((char) c);
                }
            } catch (SocketTimeoutException e) {
                return "(nothing within 10 s, connection still open)";
            } catch (SocketException reset) {
                // block type reject: reset at accept, still nothing was said
                return line.length() == 0 ? null : line.toString().trim();
            }
            return c < 0 && line.length() == 0 ? null : line.toString().trim();
        }
    }
}
