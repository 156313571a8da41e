package io.mailfleet.server.pop3;

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

/** A scripted POP3 client over a plain socket (upgradable with STLS): single and multi-line responses. */
final class RawPop3 implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    RawPop3(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        greeting = readLine();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends one command and reads its status line. */
    String command(String line) throws IOException {
        send(line + "\r\n");
        return readLine();
    }

    /** Sends a command answered with a multi-line response; returns the status line and the raw data lines. */
    List<String> multi(String line) throws IOException {
        send(line + "\r\n");
        return readMulti();
    }

    List<String> readMulti() throws IOException {
        List<String> lines = new ArrayList<>();
        String status = readLine();
        lines.add(status);
        if (!status.startsWith("+OK")) {
            return lines;
        }
        while (true) {
            String l = readLine();
            if (l.equals(".")) {
                return lines;
            }
            lines.add(l);
        }
    }

    /** The body of a multi-line response as raw bytes (still byte-stuffed), up to and excluding ".CRLF". */
    byte[] readData() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine();
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                return b.toByteArray();
            }
            b.write(line);
        }
    }

    private byte[] readRawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        if (c < 0) {
            throw new IOException("connection closed");
        }
        return b.toByteArray();
    }

    String readLine() throws IOException {
        byte[] raw = readRawLine();
        String s = new String(raw, StandardCharsets.UTF_8);
        return s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.substring(0, s.length() - 1);
    }

    /** After "+OK" to STLS: TLS over the same socket, trusting any certificate. */
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

    /** True once the server has closed the connection. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
