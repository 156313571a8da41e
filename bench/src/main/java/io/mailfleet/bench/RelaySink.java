package io.mailfleet.bench;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay host (or MX) of {@code bench relay}: a minimal ESMTP server (PIPELINING, 8BITMIME, and
 * STARTTLS when given a certificate) on loopback, one thread per connection, that accepts every
 * message and reports the {@code X-Bench-Id} of each one the moment its final dot arrives.
 */
final class RelaySink implements AutoCloseable {

    private static final Pattern BENCH_ID = Pattern.compile("X-Bench-Id: (\\d+)");

    private final ServerSocket server;
    private final LongConsumer received;
    private final SSLContext tls;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong tlsSessions = new AtomicLong();
    private volatile boolean closed;

    RelaySink(LongConsumer received) throws IOException {
        this(received, null);
    }

    /** With {@code tls} (not null) the sink offers STARTTLS with that context's certificate. */
    RelaySink(LongConsumer received, SSLContext tls) throws IOException {
        this.received = received;
        this.tls = tls;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        Thread t = new Thread(this::acceptLoop, "relay-sink-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections the node opened so far. */
    long sessions() {
        return sessions.get();
    }

    /** Connections that completed a STARTTLS handshake. */
    long tlsSessions() {
        return tlsSessions.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "relay-sink-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("bench relay: sink accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        sessions.incrementAndGet();
        Socket current = s;
        try {
            InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
            OutputStream out = s.getOutputStream();
            reply(out, "220 sink.bench ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (cmd) {
                    case "EHLO" -> reply(out, "250-sink.bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                            + (tls != null && current == s ? "250-STARTTLS\r\n" : "") + "250 SIZE 104857600");
                    case "HELO" -> reply(out, "250 sink.bench");
                    case "STAR" -> {
                        if (tls == null || current != s) {
                            reply(out, "502 5.5.2 Error: command not recognized");
                            continue;
                        }
                        reply(out, "220 2.0.0 Ready to start TLS");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s,
                                s.getInetAddress().getHostAddress(), s.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        current = ssl;
                        tlsSessions.incrementAndGet();
                        in = new BufferedInputStream(ssl.getInputStream(), 65536);
                        out = ssl.getOutputStream();
                    }
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String data = readData(in);
                        Matcher m = BENCH_ID.matcher(data);
                        if (m.find()) {
                            received.accept(Long.parseLong(m.group(1)));
                        }
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the node closed the connection (or gave up on the handshake); nothing to report
        } finally {
            sockets.remove(s);
            try {
                current.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = b.size();
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return null;
    }

    private static String readData(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(4096);
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                return sb.toString();
            }
            sb.append(line).append('\n');
        }
        throw new IOException("connection closed inside DATA");
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
