package io.mailfleet.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of an HTTP server that holds every GET request for a fixed delay
 * before passing it on (an object store far away). HTTP/1.1 clients send a request's head in one
 * write and wait for the answer before the next request on a connection, so a read that starts with
 * {@code GET } is the start of a GET request.
 */
public final class SlowGetProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final long delayMillis;
    private final AtomicInteger delayed = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;

    public SlowGetProxy(int upstreamPort, long delayMillis) throws IOException {
        this.upstreamPort = upstreamPort;
        this.delayMillis = delayMillis;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "slow-get-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** GET requests held so far. */
    public int delayedGets() {
        return delayed.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                synchronized (open) {
                    open.add(client);
                    open.add(upstream);
                }
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean requests) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (requests && n >= 4 && buf[0] == 'G' && buf[1] == 'E' && buf[2] == 'T' && buf[3] == ' ') {
                        delayed.incrementAndGet();
                        Thread.sleep(delayMillis);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side went away: the other is closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "slow-get-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            open.forEach(SlowGetProxy::closeQuietly);
        }
    }
}
