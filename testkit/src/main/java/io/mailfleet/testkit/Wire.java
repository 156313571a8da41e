package io.mailfleet.testkit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The one scripted client the tests speak SMTP, IMAP, POP3 and ManageSieve with over a real socket: exact bytes out,
 * every byte of the answer visible, each protocol's response read up to its own terminator.
 *
 * <p>Script style: {@code imap.send("a1 LOGIN u p").expect("a1 OK")}. {@link #expect} reads one response of the
 * wire's {@link Protocol} (for IMAP, up to the line tagged with the tag of the last line sent) and asserts it.
 */
public final class Wire implements AutoCloseable {

    /** How long a read waits unless the test says otherwise. */
    public static final int DEFAULT_READ_TIMEOUT_MILLIS = 20_000;

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?\\}$");

    /** Which response shape {@link #response()} and {@link #expect} read. */
    public enum Protocol {
        /** One line per response. */
        LINES,
        /** Multi-line replies: {@code 250-...} continues, {@code 250 ...} ends (RFC 5321 §4.2.1). */
        SMTP,
        /** Untagged responses with inlined literals, up to the tagged one (RFC 3501 §2.2.2). */
        IMAP,
        /** A single {@code +OK}/{@code -ERR} status line (multi-line data with {@link #pop3Multi}). */
        POP3,
        /** Response lines with inlined literals up to {@code OK}, {@code NO} or {@code BYE} (RFC 5804 §1.3). */
        SIEVE
    }

    private final Protocol protocol;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String lastTag = "";
    private List<String> greeting = List.of();
    private String farewell;
    private boolean resetIsEnd;

    private Wire(Protocol protocol, Socket connected) throws IOException {
        this.protocol = protocol;
        this.socket = connected;
        streams();
    }

    /** Connects to 127.0.0.1:{@code port}, reading with the default time-out; reads no greeting. */
    public static Wire connect(Protocol protocol, int port) throws IOException {
        return connect(protocol, port, DEFAULT_READ_TIMEOUT_MILLIS);
    }

    /** Connects to 127.0.0.1:{@code port} with a read time-out; reads no greeting. */
    public static Wire connect(Protocol protocol, int port, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(readTimeoutMillis);
        return new Wire(protocol, s);
    }

    /** Connects to 127.0.0.1:{@code port} from {@code source} (any 127.x address on Linux); reads no greeting. */
    public static Wire from(Protocol protocol, String source, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(DEFAULT_READ_TIMEOUT_MILLIS);
        return new Wire(protocol, s);
    }

    /** A wire on a socket the caller connected (behind a PROXY header, say); reads no greeting. */
    public static Wire over(Protocol protocol, Socket connected) throws IOException {
        return new Wire(protocol, connected);
    }

    /** An SMTP wire; the 220 greeting is left for the test to read. */
    public static Wire smtp(int port) throws IOException {
        return connect(Protocol.SMTP, port);
    }

    /** An SMTP wire that runs the TLS handshake at once (port 465); the greeting is left for the test. */
    public static Wire smtps(int port) throws IOException {
        Wire w = smtp(port);
        w.startTls();
        return w;
    }

    /** An IMAP wire with its greeting line read. */
    public static Wire imap(int port) throws IOException {
        return connect(Protocol.IMAP, port).readGreeting();
    }

    /** An IMAP wire on a connected socket, greeting read. */
    public static Wire imap(Socket connected) throws IOException {
        return over(Protocol.IMAP, connected).readGreeting();
    }

    /** A POP3 wire with its greeting line read. */
    public static Wire pop3(int port) throws IOException {
        return connect(Protocol.POP3, port).readGreeting();
    }

    /** A ManageSieve wire with its greeting (capabilities up to OK) read. */
    public static Wire sieve(int port) throws IOException {
        return connect(Protocol.SIEVE, port).readGreeting();
    }

    /** A wire for a line-by-line protocol; nothing read yet. */
    public static Wire lines(int port) throws IOException {
        return connect(Protocol.LINES, port);
    }

    private Wire readGreeting() throws IOException {
        greeting = protocol == Protocol.SIEVE ? sieveResponse() : List.of(line());
        return this;
    }

    /** The greeting read on connect (for ManageSieve its lines joined by {@code \n}). */
    public String greeting() {
        return String.join("\n", greeting);
    }

    /** The greeting's lines. */
    public List<String> greetingLines() {
        return greeting;
    }

    // ---------------------------------------------------------------- writing

    /** Sends {@code line} and CRLF; for IMAP remembers its first word as the tag {@link #expect} waits for. */
    public Wire send(String line) throws IOException {
        int space = line.indexOf(' ');
        lastTag = space < 0 ? line : line.substring(0, space);
        return write(line + "\r\n");
    }

    /** Sends exactly these characters (UTF-8), nothing added. */
    public Wire write(String raw) throws IOException {
        return write(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends exactly these bytes. */
    public Wire write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** The (buffered) output stream, for a test that streams a large body itself; flush it. */
    public OutputStream out() {
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** One line without its CRLF (or LF); an {@link EOFException} at end of stream. */
    public String line() throws IOException {
        String l = lineOrNull();
        if (l == null) {
            throw new EOFException("connection closed");
        }
        return l;
    }

    /** One line without its CRLF (or LF), or {@code null} at end of stream. */
    public String lineOrNull() throws IOException {
        return lineOrNull(Integer.MAX_VALUE);
    }

    /** Like {@link #lineOrNull()}, keeping at most {@code keep} bytes of a longer line. */
    private String lineOrNull(int keep) throws IOException {
        byte[] raw;
        try {
            raw = rawLineOrEmpty(keep);
        } catch (SocketException reset) {
            if (!resetIsEnd) {
                throw reset;
            }
            raw = new byte[0];
        }
        if (raw.length == 0) {
            return null;
        }
        int len = raw.length;
        if (raw[len - 1] == '\n') {
            len--;
            if (len > 0 && raw[len - 1] == '\r') {
                len--;
            }
        }
        return new String(raw, 0, len, StandardCharsets.UTF_8);
    }

    /** One line with its line end, as bytes; an {@link EOFException} when the stream ends before an LF. */
    public byte[] rawLine() throws IOException {
        byte[] raw = rawLineOrEmpty(Integer.MAX_VALUE);
        if (raw.length == 0 || raw[raw.length - 1] != '\n') {
            throw new EOFException("connection closed");
        }
        return raw;
    }

    private byte[] rawLineOrEmpty(int keep) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (b.size() < keep || c == '\n') {
                b.write(c);
            }
            if (c == '\n') {
                break;
            }
        }
        return b.toByteArray();
    }

    /** From now on a connection reset reads as end of stream (a reset after the server's goodbye is its close). */
    public Wire resetIsEnd() {
        this.resetIsEnd = true;
        return this;
    }

    /** Exactly {@code n} bytes (fewer only at end of stream). */
    public byte[] bytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Reads lines up to and including the first that starts with {@code prefix}; null if the stream ends first. */
    public String until(String prefix) throws IOException {
        String l;
        while ((l = lineOrNull()) != null && !l.startsWith(prefix)) {
            // capabilities and other lines before the one the test waits for
        }
        return l;
    }

    /** True once the server has closed the connection (end of stream, or reset). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- script

    /** One response of this wire's protocol, as lines (for SMTP the reply's lines; empty at end of stream). */
    public List<String> response() throws IOException {
        switch (protocol) {
            case SMTP:
                String r = smtpReply();
                return r == null ? List.of() : List.of(r.split("\n", -1));
            case IMAP:
                return untilTagged(lastTag);
            case SIEVE:
                return sieveResponse();
            default:
                String l = lineOrNull();
                return l == null ? List.of() : List.of(l);
        }
    }

    /**
     * Reads one response and asserts its deciding line (the last: the SMTP reply's final line, the tagged IMAP line,
     * the ManageSieve OK/NO/BYE, the POP3 status) starts with {@code prefix}; returns the whole response, lines
     * joined by {@code \n}.
     */
    public String expect(String prefix) throws IOException {
        List<String> lines = response();
        String text = String.join("\n", lines);
        boolean ok = protocol == Protocol.SMTP
                ? text.startsWith(prefix) && oneCode(text)
                : !lines.isEmpty() && last(lines).startsWith(prefix);
        if (lines.isEmpty()) {
            throw new AssertionError("connection closed, expected " + prefix);
        }
        if (!ok) {
            throw new AssertionError("expected '" + prefix + "' but got '" + text + "'");
        }
        return text;
    }

    /** The last of a response's lines. */
    public static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    // ---------------------------------------------------------------- SMTP

    /** One complete SMTP reply, its lines joined by {@code \n}; null at end of stream. */
    public String smtpReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = lineOrNull();
            if (l == null) {
                return lines.isEmpty() ? null : String.join("\n", lines);
            }
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    /** Whether every line of an SMTP reply carries the same three-digit code (RFC 5321 §4.2.1). */
    static boolean oneCode(String reply) {
        String code = reply.length() < 3 ? reply : reply.substring(0, 3);
        for (String l : reply.split("\n")) {
            if (!l.startsWith(code)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- IMAP

    /** Sends {@code tag command} and returns every response line up to and including the tagged one. */
    public List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command);
        return untilTagged(tag);
    }

    /** Responses (literals inlined) up to and including the one tagged {@code tag}. */
    public List<String> untilTagged(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = imapResponse();
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** One IMAP response line; each literal it announces is read and inlined after a CRLF. */
    public String imapResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String l = line();
            sb.append(l);
            Matcher m = LITERAL.matcher(l);
            if (!m.find()) {
                return sb.toString();
            }
            sb.append("\r\n").append(new String(bytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8));
        }
    }

    /** A tagged response read without keeping its literals: for load tests that fetch megabytes. */
    public record Skimmed(String tagged, List<String> untagged, long literalOctets) {
    }

    /** Sends {@code tag command} and {@linkplain #skimUntilTagged skims} the responses. */
    public Skimmed skim(String tag, String command) throws IOException {
        send(tag + " " + command);
        return skimUntilTagged(tag);
    }

    /**
     * Responses up to the one tagged {@code tag}, literals counted and skipped, each response cut at 2,000 characters
     * (and each line at 64 KiB), so many sessions fetching large bodies cost the test JVM no memory.
     */
    public Skimmed skimUntilTagged(String tag) throws IOException {
        List<String> untagged = new ArrayList<>();
        long literals = 0;
        while (true) {
            StringBuilder response = new StringBuilder();
            while (true) {
                String l = lineOrNull(64 * 1024);
                if (l == null) {
                    throw new EOFException("connection closed by the server");
                }
                if (response.length() < 2000) {
                    response.append(l, 0, Math.min(l.length(), 2000 - response.length()));
                }
                Matcher m = LITERAL.matcher(l);
                if (!m.find()) {
                    break;
                }
                long n = Long.parseLong(m.group(1));
                in.skipNBytes(n);
                literals += n;
            }
            String r = response.toString();
            if (r.startsWith(tag + " ")) {
                return new Skimmed(r, untagged, literals);
            }
            untagged.add(r);
        }
    }

    /** After a tagged OK to COMPRESS DEFLATE: raw DEFLATE both ways, flushed per write (RFC 4978). */
    public void startCompression() {
        in = new InflaterInputStream(in, new Inflater(true));
        out = new DeflaterOutputStream(out, new Deflater(6, true), true);
    }

    // ---------------------------------------------------------------- POP3

    /** Sends a command answered with a multi-line response; returns the status line and the raw data lines. */
    public List<String> pop3Multi(String command) throws IOException {
        send(command);
        return pop3Multi();
    }

    /** A status line and, after {@code +OK}, the data lines up to (excluding) the lone dot, still byte-stuffed. */
    public List<String> pop3Multi() throws IOException {
        List<String> lines = new ArrayList<>();
        String status = line();
        lines.add(status);
        if (!status.startsWith("+OK")) {
            return lines;
        }
        for (String l = line(); !l.equals("."); l = line()) {
            lines.add(l);
        }
        return lines;
    }

    /** The data of a multi-line response as raw bytes (still byte-stuffed), up to and excluding ".CRLF". */
    public byte[] dotData() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            byte[] l = rawLine();
            if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                return b.toByteArray();
            }
            b.write(l);
        }
    }

    // ---------------------------------------------------------------- ManageSieve

    /** Sends {@code prefix {n+}CRLF script CRLF} and reads the response. */
    public List<String> sieveLiteral(String prefix, String script) throws IOException {
        write(prefix + " {" + script.getBytes(StandardCharsets.UTF_8).length + "+}\r\n" + script + "\r\n");
        return sieveResponse();
    }

    /** Lines (literals inlined) up to and including the final OK, NO or BYE line. */
    public List<String> sieveResponse() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = sieveItem();
            lines.add(l);
            if (l.startsWith("OK") || l.startsWith("NO") || l.startsWith("BYE")) {
                return lines;
            }
        }
    }

    /** One line; a trailing literal is read and appended after a CRLF, with the rest of its line. */
    public String sieveItem() throws IOException {
        String l = line();
        Matcher m = LITERAL.matcher(l);
        if (m.find()) {
            return l + "\r\n" + new String(bytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8) + line();
        }
        return l;
    }

    // ---------------------------------------------------------------- TLS

    /** Runs the TLS handshake on this connection (at once for implicit TLS, or after the server agreed to STARTTLS). */
    public void startTls() throws IOException {
        if (in.available() > 0) {
            // bytes the server sent after agreeing to TLS and before the handshake: a plaintext injection
            throw new IOException("the server sent " + in.available() + " bytes before the TLS handshake");
        }
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        streams();
    }

    /** The certificates the server presented in the TLS handshake. */
    public X509Certificate[] peerCertificates() throws IOException {
        return (X509Certificate[]) ((SSLSocket) socket).getSession().getPeerCertificates();
    }

    /** A TLS context that trusts any server certificate: test nodes present self-signed ones. */
    public static SSLContext trustAll() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void streams() throws IOException {
        // buffered: startTls refuses to upgrade over unread bytes, and COMPRESS inflates what is buffered
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** The socket under the wire. */
    public Socket socket() {
        return socket;
    }

    /** A line {@link #close} sends first, best effort (QUIT, LOGOUT), as a polite client does. */
    public Wire farewell(String line) {
        this.farewell = line;
        return this;
    }

    @Override
    public void close() throws IOException {
        if (farewell != null && !socket.isClosed()) {
            try {
                send(farewell);
                response();
            } catch (IOException ignored) {
                // the server may already have closed the connection
            }
        }
        socket.close();
    }
}
