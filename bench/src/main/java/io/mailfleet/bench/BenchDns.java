package io.mailfleet.bench;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench's own authoritative DNS server on loopback (UDP and TCP on one port) answering from a
 * fixed zone, so checks that need DNS (SPF, DKIM, DMARC, DNSBL, MTA-STS) run against answers the
 * node's resolver caches, without the Internet. Absent names are NXDOMAIN; UDP answers over 512
 * octets are truncated so the resolver retries over TCP, as with a real server. A zone given an SOA
 * ({@link #soa}) carries it in its negative answers, so resolvers cache those too (RFC 2308). A delay
 * makes every answer late (a distant or slow server) without holding up the queries behind it, and a
 * TTL of 0 keeps the node's resolver from caching anything ("cold DNS" for every message).
 */
final class BenchDns implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<String, List<Record>> zone = new ConcurrentHashMap<>();
    private final List<SOARecord> soas = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong queries = new AtomicLong();
    private final int delayMillis;
    private final long ttlSeconds;
    private final java.util.concurrent.ScheduledExecutorService late;
    private volatile boolean closed;

    BenchDns() throws IOException {
        this(0, 3600);
    }

    /** Answers every query {@code delayMillis} late, with records of {@code ttlSeconds}. */
    BenchDns(int delayMillis, long ttlSeconds) throws IOException {
        this.delayMillis = delayMillis;
        this.ttlSeconds = ttlSeconds;
        this.late = delayMillis == 0 ? null : java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-dns-late");
            t.setDaemon(true);
            return t;
        });
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket();
                t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), u.getLocalPort()));
            } catch (IOException taken) {
                u.close();
                t.close();
                t = null;
            }
        }
        if (t == null) {
            throw new IOException("bench dns: no loopback port free for both UDP and TCP");
        }
        udp = u;
        tcp = t;
        daemon("bench-dns-udp", this::serveUdp);
        daemon("bench-dns-tcp", this::serveTcp);
    }

    private static void daemon(String name, Runnable r) {
        Thread th = new Thread(r, name);
        th.setDaemon(true);
        th.start();
    }

    /** {@code 127.0.0.1:port}, the form of {@code MAILFLEET_DNS_SERVER}. */
    String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    long queries() {
        return queries.get();
    }

    /** Adds a TXT record (strings over 255 octets are split, as DKIM keys need). */
    BenchDns txt(String name, String text) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            parts.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return add(new TXTRecord(fqdn(name), DClass.IN, ttlSeconds, parts));
    }

    /** Makes {@code origin} a zone whose NXDOMAIN and no-data answers carry its SOA (negative TTL {@code ttl} s). */
    BenchDns soa(String origin, long ttl) {
        Name o = fqdn(origin);
        soas.add(new SOARecord(o, DClass.IN, ttl, fqdn("ns." + origin), fqdn("hostmaster." + origin), 1, 3600, 600,
                86400, ttl));
        return this;
    }

    BenchDns add(Record r) {
        zone.computeIfAbsent(key(r.getName()), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r);
        return this;
    }

    static Name fqdn(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static String key(Name n) {
        return n.toString().toLowerCase(Locale.ROOT);
    }

    private byte[] answer(byte[] query, int len, boolean overUdp) {
        queries.incrementAndGet();
        try {
            Message q = new Message(java.util.Arrays.copyOf(query, len));
            Message r = new Message(q.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.AA);
            if (q.getHeader().getFlag(Flags.RD)) {
                r.getHeader().setFlag(Flags.RD);
            }
            Record question = q.getQuestion();
            if (question == null) {
                r.getHeader().setRcode(Rcode.FORMERR);
                return r.toWire();
            }
            r.addRecord(question, Section.QUESTION);
            List<Record> rrs = zone.get(key(question.getName()));
            if (rrs == null) {
                r.getHeader().setRcode(Rcode.NXDOMAIN);
            } else {
                for (Record rr : rrs) {
                    if (rr.getType() == question.getType()) {
                        r.addRecord(rr, Section.ANSWER);
                    }
                }
            }
            if (r.getSection(Section.ANSWER).isEmpty()) {
                for (SOARecord soa : soas) {
                    if (question.getName().subdomain(soa.getName())) {
                        r.addRecord(soa, Section.AUTHORITY);
                        break;
                    }
                }
            }
            byte[] wire = r.toWire();
            int limit = q.getOPT() == null ? 512 : Math.max(512, q.getOPT().getPayloadSize());
            if (overUdp && wire.length > limit) {
                Message tc = new Message(q.getHeader().getID());
                tc.getHeader().setFlag(Flags.QR);
                tc.getHeader().setFlag(Flags.TC);
                tc.addRecord(question, Section.QUESTION);
                return tc.toWire();
            }
            return wire;
        } catch (IOException e) {
            return null;
        }
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] out = answer(p.getData(), p.getLength(), true);
                if (out == null) {
                    continue;
                }
                java.net.SocketAddress to = p.getSocketAddress();
                if (late == null) {
                    udp.send(new DatagramPacket(out, out.length, to));
                } else {
                    late.schedule(() -> sendQuietly(out, to), delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void sendQuietly(byte[] out, java.net.SocketAddress to) {
        try {
            udp.send(new DatagramPacket(out, out.length, to));
        } catch (IOException e) {
            // closed meanwhile: the resolver times out, as with a lost datagram
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                daemon("bench-dns-tcp-conn", () -> serveTcp(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (true) {
                int len = in.readUnsignedShort();
                byte[] q = in.readNBytes(len);
                byte[] a = answer(q, q.length, false);
                if (a == null) {
                    return;
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                out.writeShort(a.length);
                out.write(a);
                out.flush();
            }
        } catch (IOException e) {
            // the resolver closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (late != null) {
            late.shutdownNow();
        }
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
