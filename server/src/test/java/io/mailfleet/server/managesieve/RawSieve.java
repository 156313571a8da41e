package io.mailfleet.server.managesieve;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scripted ManageSieve client: sends commands, reads responses (literals inlined) up to OK/NO/BYE. */
final class RawSieve implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final List<String> greeting;

    RawSieve(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        greeting = response();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    List<String> command(String line) throws IOException {
        send(line + "\r\n");
        return response();
    }

    /** Sends {@code prefix {n+}CRLF script CRLF}. */
    List<String> withLiteral(String prefix, String script) throws IOException {
        send(prefix + " {" + script.getBytes(StandardCharsets.UTF_8).length + "+}\r\n" + script + "\r\n");
        return response();
    }

    /** Lines up to and including the final OK, NO or BYE line. */
    List<String> response() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = item();
            lines.add(l);
            if (l.startsWith("OK") || l.startsWith("NO") || l.startsWith("BYE")) {
                return lines;
            }
        }
    }

    /** One line; a trailing literal is read and appended after a CRLF. */
    String item() throws IOException {
        String l = readLine();
        Matcher m = LITERAL.matcher(l);
        if (m.find()) {
            byte[] b = in.readNBytes(Integer.parseInt(m.group(1)));
            return l + "\r\n" + new String(b, StandardCharsets.UTF_8) + readLine();
        }
        return l;
    }

    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    void startTls() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
