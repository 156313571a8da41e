package io.mailfleet.core.dns;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A small authoritative DNS server on 127.0.0.1, UDP and TCP on the same port, answering from a zone
 * map that tests replace at will. Answers over 512 bytes are truncated on UDP (TC bit) so clients
 * retry over TCP, as with a real server. Per name it can time out (no answer), answer SERVFAIL, or
 * have its response rewritten to something hostile. Zones signed with {@link SignedZone} are served
 * with their RRSIG records when a query sets the DNSSEC OK bit, as a signed authoritative server does.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    /** One entry of a name's zone data: a record, or the point after which other types time out. */
    public sealed interface Entry {
    }

    /** A resource record. */
    public record Rr(Record record) implements Entry {
    }

    /**
     * As in the OpenSPF suite: queries for a type listed before this marker are answered, any other
     * type gets no answer at all.
     */
    public record Timeout() implements Entry {
    }

    private static final SOARecord SOA = new SOARecord(Name.root, DClass.IN, 60, Name.fromConstantString("ns.test."),
            Name.fromConstantString("hostmaster.test."), 1, 3600, 600, 86400, 60);

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new ArrayList<>();
    private volatile Map<String, List<Entry>> zone = new ConcurrentHashMap<>();
    private final Map<String, UnaryOperator<Message>> rewrites = new ConcurrentHashMap<>();
    private final Map<String, Boolean> servfail = new ConcurrentHashMap<>();
    /** Names starting with this label time out when absent from the zone (the suite's "error." names). */
    private volatile String timeoutPrefix = null;
    /** Questions received, UDP and TCP. */
    public final AtomicInteger queries = new AtomicInteger();
    /** Questions received over TCP. */
    public final AtomicInteger tcpQueries = new AtomicInteger();

    public LoopbackDnsServer() throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket();
                t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), u.getLocalPort()));
            } catch (IOException taken) {
                u.close();
                t = null;
            }
        }
        if (t == null) {
            throw new IOException("no port free for both UDP and TCP");
        }
        udp = u;
        tcp = t;
        start("loopback-dns-udp", this::serveUdp);
        start("loopback-dns-tcp", this::serveTcp);
    }

    private void start(String name, Runnable r) {
        Thread th = new Thread(r, name);
        th.setDaemon(true);
        th.start();
        threads.add(th);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    /** Replaces the whole zone (names are case-insensitive, without the trailing dot). */
    public LoopbackDnsServer zone(Map<String, List<Entry>> data) {
        Map<String, List<Entry>> copy = new ConcurrentHashMap<>();
        data.forEach((k, v) -> copy.put(key(k), List.copyOf(v)));
        zone = copy;
        return this;
    }

    /** Adds one record. */
    public LoopbackDnsServer add(Record r) {
        zone.computeIfAbsent(key(r.getName().toString()), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new Rr(r));
        return this;
    }

    /** Every query for the name goes unanswered. */
    public LoopbackDnsServer silent(String name) {
        zone.put(key(name), List.of(new Timeout()));
        return this;
    }

    public LoopbackDnsServer servfail(String name) {
        servfail.put(key(name), true);
        return this;
    }

    /** The response for the name is passed through {@code f} before it is sent (null: no answer). */
    public LoopbackDnsServer rewrite(String name, UnaryOperator<Message> f) {
        rewrites.put(key(name), f);
        return this;
    }

    /** Absent names with this first label time out instead of NXDOMAIN. */
    public LoopbackDnsServer timeoutForAbsentNamesStartingWith(String label) {
        timeoutPrefix = label == null ? null : label.toLowerCase(Locale.ROOT) + ".";
        return this;
    }

    /** Zone key: the name in dnsjava's presentation form (special characters escaped), lower case. */
    private static String key(String name) {
        String n = name.endsWith(".") ? name : name + ".";
        try {
            n = Name.fromString(n).toString();
        } catch (org.xbill.DNS.TextParseException e) {
            // a name that cannot be spelt in DNS is kept as written; no query can reach it
        }
        n = n.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                Message r = answer(Arrays.copyOf(p.getData(), p.getLength()));
                if (r != null) {
                    byte[] out = r.toWire(512);
                    udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // a malformed query is dropped, as a real server would
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                Thread th = new Thread(() -> serveConnection(s), "loopback-dns-tcp-conn");
                th.setDaemon(true);
                th.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveConnection(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                int len = in.readUnsignedShort();
                byte[] q = in.readNBytes(len);
                tcpQueries.incrementAndGet();
                Message r = answer(q);
                if (r == null) {
                    continue;
                }
                byte[] wire = r.toWire(65535);
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // connection closed by the client
        }
    }

    private Message answer(byte[] wire) throws IOException {
        queries.incrementAndGet();
        Message q = new Message(wire);
        Record question = q.getQuestion();
        String name = key(question.getName().toString());
        Message r = respond(q, question, name);
        UnaryOperator<Message> f = rewrites.get(name);
        return f == null || r == null ? r : f.apply(r);
    }

    private Message respond(Message q, Record question, String name) {
        int type = question.getType();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.addRecord(question, Section.QUESTION);
        org.xbill.DNS.OPTRecord opt = q.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
        if (opt != null) {
            r.addRecord(new org.xbill.DNS.OPTRecord(4096, 0, 0, dnssecOk ? org.xbill.DNS.ExtendedFlags.DO : 0),
                    Section.ADDITIONAL);
        }
        if (servfail.containsKey(name)) {
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return r;
        }
        Map<String, List<Entry>> z = zone;
        String current = name;
        for (int hop = 0; hop < 10; hop++) {
            List<Entry> entries = z.get(current);
            if (entries == null) {
                if (hop == 0 && timeoutPrefix != null && current.startsWith(timeoutPrefix)) {
                    return null;
                }
                if (hop == 0) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                negative(r, z, current, dnssecOk);
                return r;
            }
            boolean matched = false;
            CNAMERecord alias = null;
            for (Entry e : entries) {
                if (e instanceof Timeout) {
                    if (!matched) {
                        return null;
                    }
                    break;
                }
                Record rec = ((Rr) e).record();
                if (rec.getType() == type) {
                    r.addRecord(withOwner(rec, question.getName(), hop), Section.ANSWER);
                    matched = true;
                } else if (rec instanceof CNAMERecord c && type != Type.CNAME) {
                    alias = c;
                }
            }
            if (matched) {
                if (dnssecOk) {
                    signatures(r, entries, type, question.getName(), hop);
                }
                return r;
            }
            if (alias == null) {
                negative(r, z, current, dnssecOk);
                return r;
            }
            r.addRecord(withOwner(alias, question.getName(), hop), Section.ANSWER);
            if (dnssecOk) {
                signatures(r, entries, Type.CNAME, question.getName(), hop);
            }
            current = key(alias.getTarget().toString());
        }
        return r;
    }

    /**
     * The authority section of NXDOMAIN and NODATA: the SOA, or for a signed zone (a {@link SignedZone}
     * enclosing the name) queried with DO its signed SOA and its whole signed NSEC chain, which holds the
     * proofs a validator looks for.
     */
    private static void negative(Message r, Map<String, List<Entry>> z, String name, boolean dnssecOk) {
        if (dnssecOk) {
            for (String apex = name; ; apex = apex.substring(apex.indexOf('.') + 1)) {
                List<Entry> at = z.get(apex);
                if (at != null && at.stream().anyMatch(e -> e instanceof Rr rr && rr.record() instanceof SOARecord)) {
                    String zoneApex = apex;
                    String suffix = "." + apex;
                    z.forEach((owner, entries) -> {
                        if (!owner.equals(zoneApex) && !owner.endsWith(suffix)) {
                            return;
                        }
                        for (Entry e : entries) {
                            if (e instanceof Rr rr && (rr.record().getType() == Type.NSEC
                                    || (owner.equals(zoneApex) && rr.record().getType() == Type.SOA)
                                    || (rr.record() instanceof org.xbill.DNS.RRSIGRecord sig
                                    && (sig.getTypeCovered() == Type.NSEC
                                    || (owner.equals(zoneApex) && sig.getTypeCovered() == Type.SOA))))) {
                                r.addRecord(rr.record(), Section.AUTHORITY);
                            }
                        }
                    });
                    return;
                }
                if (apex.indexOf('.') < 0) {
                    break;
                }
            }
        }
        r.addRecord(SOA, Section.AUTHORITY);
    }

    /** The RRSIGs of the name that cover {@code type}, after the RRset they sign. */
    private static void signatures(Message r, List<Entry> entries, int type, Name asked, int hop) {
        for (Entry e : entries) {
            if (e instanceof Rr rr && rr.record() instanceof org.xbill.DNS.RRSIGRecord sig && sig.getTypeCovered() == type) {
                r.addRecord(withOwner(sig, asked, hop), Section.ANSWER);
            }
        }
    }

    /** Zone keys are case-insensitive; the answer repeats the question's spelling for the first owner. */
    private static Record withOwner(Record rec, Name asked, int hop) {
        return hop == 0 ? rec.withName(asked) : rec;
    }

    @Override
    public void close() throws Exception {
        udp.close();
        tcp.close();
        for (Thread t : threads) {
            t.join(2000);
        }
    }
}
