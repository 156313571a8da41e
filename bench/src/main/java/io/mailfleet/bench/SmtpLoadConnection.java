package io.mailfleet.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load connection: a blocking raw-socket SMTP client (a thread, a socket, two buffers) that says
 * EHLO once, then takes message numbers from a shared counter and sends each as a pipelined
 * MAIL/RCPT/DATA group (RFC 2920) followed by the content. Kept this small so that the client costs
 * the server as little CPU as possible on the same machine.
 */
final class SmtpLoadConnection implements Runnable {

    static final String HELO_NAME = "bench-client.example.org";
    private static final byte[] END_OF_DATA = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CONSECUTIVE_FAILURES = 3;

    private final InetSocketAddress target;
    private final String from;
    private final List<String> pool;
    private final int perMessage;
    private final BenchMessage message;
    private final AtomicLong next;
    private final long end;
    private final ConnectionStats stats;

    SmtpLoadConnection(InetSocketAddress target, String from, List<String> pool, int perMessage, BenchMessage message,
                       AtomicLong next, long end, ConnectionStats stats) {
        this.target = target;
        this.from = from;
        this.pool = List.copyOf(pool);
        this.perMessage = perMessage;
        this.message = message;
        this.next = next;
        this.end = end;
        this.stats = stats;
    }

    @Override
    public void run() {
        int failures = 0;
        while (failures < MAX_CONSECUTIVE_FAILURES && next.get() < end) {
            boolean inFlight = false;
            try (Socket socket = new Socket()) {
                socket.connect(target, 10_000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(120_000);
                SmtpReplyReader in = new SmtpReplyReader(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                SmtpReplyReader.Reply greeting = in.read();
                if (!greeting.positive()) {
                    stats.error("greeting: " + greeting);
                    failures++;
                    continue;
                }
                command(out, "EHLO " + HELO_NAME);
                out.flush();
                SmtpReplyReader.Reply ehlo = in.read();
                if (!ehlo.positive()) {
                    stats.error("EHLO: " + ehlo);
                    failures++;
                    continue;
                }
                boolean pipelining = ehlo.text().contains("PIPELINING");
                long n;
                while ((n = next.getAndIncrement()) < end) {
                    inFlight = true;
                    send(n, pipelining, in, out);
                    inFlight = false;
                    failures = 0;
                }
                command(out, "QUIT");
                out.flush();
                in.read();
                return;
            } catch (IOException e) {
                if (inFlight) {
                    stats.error("I/O: " + e.getMessage());
                } else if (next.get() < end) {
                    stats.error("connection: " + e);
                }
                failures++;
            }
        }
    }

    /** Message n goes to the next {@code perMessage} addresses of the pool, round robin. */
    private List<String> recipientsOf(long n) {
        List<String> out = new java.util.ArrayList<>(perMessage);
        for (int j = 0; j < perMessage; j++) {
            out.add(pool.get((int) ((n * perMessage + j) % pool.size())));
        }
        return out;
    }

    private void send(long n, boolean pipelining, SmtpReplyReader in, OutputStream out) throws IOException {
        List<String> rcpts = recipientsOf(n);
        byte[] header = message.headerOf(n);
        byte[] body = message.body();
        int size = header.length + body.length;
        stats.firstSendNanos = Math.min(stats.firstSendNanos, System.nanoTime());
        command(out, "MAIL FROM:<" + from + "> SIZE=" + size);
        if (!pipelining) {
            out.flush();
        }
        SmtpReplyReader.Reply mail = pipelining ? null : in.read();
        for (String r : rcpts) {
            command(out, "RCPT TO:<" + r + ">");
        }
        if (pipelining) {
            command(out, "DATA");
            out.flush();
            mail = in.read();
        } else {
            out.flush();
        }
        SmtpReplyReader.Reply firstBadRcpt = null;
        int okRcpts = 0;
        for (int i = 0; i < rcpts.size(); i++) {
            SmtpReplyReader.Reply r = in.read();
            if (r.positive()) {
                okRcpts++;
            } else if (firstBadRcpt == null) {
                firstBadRcpt = r;
            }
        }
        if (!pipelining) {
            command(out, "DATA");
            out.flush();
        }
        SmtpReplyReader.Reply data = in.read();
        if (data.code() != 354) {
            stats.error(!mail.positive() ? "MAIL: " + mail : firstBadRcpt != null ? "RCPT: " + firstBadRcpt
                    : "DATA: " + data);
            reset(in, out);
            return;
        }
        out.write(header);
        out.write(body);
        out.write(END_OF_DATA);
        out.flush();
        long dot = System.nanoTime();
        SmtpReplyReader.Reply done = in.read();
        long now = System.nanoTime();
        if (done.code() == 250) {
            stats.accepted++;
            stats.bytes += size;
            stats.latencies.add(now - dot);
            stats.lastAcceptNanos = Math.max(stats.lastAcceptNanos, now);
            if (okRcpts < rcpts.size()) {
                stats.error("RCPT: " + firstBadRcpt);
            }
        } else {
            stats.error("end of DATA: " + done);
        }
    }

    /** After a failed transaction the server may still hold MAIL FROM; RSET makes the next MAIL valid. */
    private static void reset(SmtpReplyReader in, OutputStream out) throws IOException {
        command(out, "RSET");
        out.flush();
        in.read();
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }
}
