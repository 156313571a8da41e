package io.mailfleet.protocols.outbound;


import io.netty.handler.ssl.util.SelfSignedCertificate;

import javax.net.ssl.KeyManagerFactory;
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
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A scriptable SMTP server on 127.0.0.1 acting as a remote MX or relay in tests. */
public final class SinkSmtpServer implements AutoCloseable {

    /** A message as received, with the transport facts tests check. */
    public record Received(String mailFrom, List<String> rcptTo, byte[] data, boolean tls, String authUser, boolean pipelined) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    public volatile String greeting = "220 sink.test ESMTP";
    public volatile boolean ehlo = true;
    public volatile boolean pipelining = true;
    public volatile boolean starttls;
    public volatile boolean eightBitMime = true;
    public volatile boolean smtpUtf8;
    /** Offer REQUIRETLS (RFC 8689) after STARTTLS. */
    public volatile boolean requireTls;
    public volatile boolean dsn;
    public volatile long sizeLimit;
    public volatile String authUser;
    public volatile String authPassword;
    public volatile String mailReply = "250 2.1.0 Ok";
    public volatile Function<String, String> rcptReply = r -> "250 2.1.5 Ok";
    public volatile String dataEndReply = "250 2.0.0 Ok: queued";
    /** Stage name ("greeting", "EHLO", "DATA-END") at which the server goes silent. */
    public volatile String silentAt = "";
    /** When set, each DATA end waits here before replying (to hold transactions open). */
    public volatile CountDownLatch holdDataEnd;
    /** The server certificate for STARTTLS; null for the shared self-signed {@code sink.test} one. */
    public volatile SSLContext tlsContext;
    /** When set, the server answers 220 to STARTTLS and then closes the connection (a handshake that dies). */
    public volatile boolean closeAtStartTls;

    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public final AtomicInteger accepted = new AtomicInteger();
    public final AtomicInteger inTransaction = new AtomicInteger();
    public final AtomicInteger maxInTransaction = new AtomicInteger();

    private final ServerSocket server;
    private final SSLContext ssl;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public SinkSmtpServer() throws Exception {
        this(InetAddress.getLoopbackAddress(), 0);
    }

    /** Listening on a given loopback address and port (sinks share the MX port on 127.0.0.x). */
    public SinkSmtpServer(InetAddress address, int port) throws Exception {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port));
        ssl = sharedTls();
        acceptor = new Thread(this::acceptLoop, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static SSLContext shared;

    /** One self-signed certificate for all sinks: key generation is the slow part of a test. */
    private static synchronized SSLContext sharedTls() throws Exception {
        if (shared == null) {
            SelfSignedCertificate cert = new SelfSignedCertificate("sink.test");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("sink", cert.key(), "pw".toCharArray(), new Certificate[]{cert.cert()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            shared = ctx;
        }
        return shared;
    }

    public int port() {
        return server.getLocalPort();
    }

    public TargetHost target(String name) {
        return new TargetHost(name, List.of(InetAddress.getLoopbackAddress()), port());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread th = new Thread(() -> session(s), "sink-session");
                th.setDaemon(true);
                th.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        Socket s = socket;
        boolean inTx = false;
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            if (silentAt.equals("greeting")) {
                in.read();
                return;
            }
            reply(out, greeting);
            if (!greeting.startsWith("2")) {
                return;
            }
            boolean tls = false;
            String user = null;
            String from = null;
            List<String> rcpts = new ArrayList<>();
            boolean pipelined = false;
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    if (silentAt.equals("EHLO")) {
                        in.read();
                        return;
                    }
                    if (!ehlo) {
                        reply(out, "502 5.5.2 Error: command not recognized");
                        continue;
                    }
                    List<String> ext = new ArrayList<>();
                    ext.add("sink.test");
                    if (pipelining) ext.add("PIPELINING");
                    if (sizeLimit > 0) ext.add("SIZE " + sizeLimit);
                    if (starttls && !tls) ext.add("STARTTLS");
                    if (authUser != null) ext.add("AUTH LOGIN PLAIN");
                    if (eightBitMime) ext.add("8BITMIME");
                    if (dsn) ext.add("DSN");
                    if (smtpUtf8) ext.add("SMTPUTF8");
                    if (requireTls && tls) ext.add("REQUIRETLS");
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < ext.size(); i++) {
                        b.append("250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i)).append("\r\n");
                    }
                    out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 sink.test");
                } else if (upper.equals("STARTTLS") && starttls && !tls) {
                    reply(out, "220 2.0.0 Ready to start TLS");
                    if (closeAtStartTls) {
                        s.close();
                        return;
                    }
                    SSLSocket t = (SSLSocket) (tlsContext != null ? tlsContext : ssl).getSocketFactory().createSocket(s, null, s.getPort(), true);
                    t.setUseClientMode(false);
                    t.startHandshake();
                    s = t;
                    in = new BufferedInputStream(t.getInputStream());
                    out = t.getOutputStream();
                    tls = true;
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    String[] parts = new String(Base64.getDecoder().decode(line.substring(11).strip()),
                            StandardCharsets.UTF_8).split("\0", -1);
                    if (parts.length == 3 && parts[1].equals(authUser) && parts[2].equals(authPassword)) {
                        user = parts[1];
                        reply(out, "235 2.7.0 Authentication successful");
                    } else {
                        reply(out, "535 5.7.8 Error: authentication failed");
                    }
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (authUser != null && user == null) {
                        reply(out, "530 5.7.0 Authentication required");
                        continue;
                    }
                    pipelined = waitForMore(in);
                    from = line.substring(10);
                    rcpts.clear();
                    reply(out, mailReply);
                    if (mailReply.startsWith("2") && !inTx) {
                        inTx = true;
                        int now = inTransaction.incrementAndGet();
                        maxInTransaction.accumulateAndGet(now, Math::max);
                    }
                } else if (upper.startsWith("RCPT TO:")) {
                    String r = rcptReply.apply(line.substring(8));
                    if (r.startsWith("2")) {
                        rcpts.add(line.substring(8));
                    }
                    reply(out, from == null ? "503 5.5.1 Error: need MAIL command" : r);
                } else if (upper.equals("DATA")) {
                    if (from == null || rcpts.isEmpty()) {
                        reply(out, "554 5.5.1 Error: no valid recipients");
                        continue;
                    }
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    byte[] data = readData(in);
                    if (silentAt.equals("DATA-END")) {
                        in.read();
                        return;
                    }
                    CountDownLatch hold = holdDataEnd;
                    if (hold != null) {
                        hold.await(20, TimeUnit.SECONDS);
                    }
                    if (dataEndReply.startsWith("2")) {
                        received.add(new Received(from, List.copyOf(rcpts), data, tls, user, pipelined));
                    }
                    if (inTx) {
                        inTx = false;
                        inTransaction.decrementAndGet();
                    }
                    reply(out, dataEndReply);
                    from = null;
                } else if (upper.equals("RSET")) {
                    from = null;
                    rcpts.clear();
                    if (inTx) {
                        inTx = false;
                        inTransaction.decrementAndGet();
                    }
                    reply(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else if (upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else {
                    reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (Exception e) {
            // the client went away; nothing to record
        } finally {
            if (inTx) {
                inTransaction.decrementAndGet();
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a broken socket
            }
        }
    }

    /** True when the client sent the next command without waiting for this reply (PIPELINING). */
    private static boolean waitForMore(InputStream in) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (in.available() > 0) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    /** Reads DATA up to the lone dot, undoing dot-stuffing; keeps the CRLFs as sent. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                byte[] l = line.toByteArray();
                line.reset();
                if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                    return msg.toByteArray();
                }
                int start = l.length > 0 && l[0] == '.' ? 1 : 0;
                msg.write(l, start, l.length - start);
            }
        }
        throw new IOException("connection closed in DATA");
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
