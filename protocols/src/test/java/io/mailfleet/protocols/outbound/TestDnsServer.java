package io.mailfleet.protocols.outbound;

import org.xbill.DNS.TXTRecord;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny authoritative DNS server over UDP on 127.0.0.1 answering from a test zone. */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<Record> zone = new CopyOnWriteArrayList<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Map<Name, Boolean> cnameWithoutTarget = new ConcurrentHashMap<>();
    public final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    public TestDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public DnsSettings settings(Duration timeout) {
        return new DnsSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), timeout);
    }

    public static Name name(String s) {
        return Name.fromConstantString(s.endsWith(".") ? s : s + ".");
    }

    public TestDnsServer mx(String domain, int preference, String host) {
        zone.add(new MXRecord(name(domain), DClass.IN, 60, preference, name(host)));
        return this;
    }

    public TestDnsServer a(String host, String ip) throws IOException {
        zone.add(new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(ip)));
        return this;
    }

    public TestDnsServer aaaa(String host, String ip) throws IOException {
        zone.add(new AAAARecord(name(host), DClass.IN, 60, InetAddress.getByName(ip)));
        return this;
    }

    /** A CNAME; {@code includeTarget=false} makes the client ask again for the target. */
    public TestDnsServer cname(String alias, String target, boolean includeTarget) {
        zone.add(new CNAMERecord(name(alias), DClass.IN, 60, name(target)));
        cnameWithoutTarget.put(name(alias), !includeTarget);
        return this;
    }

    public TestDnsServer servfail(String n) {
        servfail.add(name(n));
        return this;
    }

    /** A TXT record (a DKIM key record, for example). */
    public TestDnsServer txt(String n, String text) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            parts.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        zone.add(new TXTRecord(name(n), DClass.IN, 60, parts));
        return this;
    }

    /** Any record (SRV, for example) served as it is. */
    public TestDnsServer record(Record r) {
        zone.add(r);
        return this;
    }

    /** Queries for this name get no answer at all (the client times out). */
    public TestDnsServer silent(String n) {
        silent.add(name(n));
        return this;
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                queries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Message r = answer(q);
                if (r == null) {
                    continue;
                }
                byte[] out = r.toWire(512);
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // a malformed query from a test is ignored like a real server would
            }
        }
    }

    private Message answer(Message q) {
        Record question = q.getQuestion();
        Name n = question.getName();
        int type = question.getType();
        if (silent.contains(n)) {
            return null;
        }
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.addRecord(question, Section.QUESTION);
        if (servfail.contains(n)) {
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return r;
        }
        Name current = n;
        for (int hop = 0; hop < 10; hop++) {
            Name cur = current;
            List<Record> direct = zone.stream().filter(x -> x.getName().equals(cur) && x.getType() == type).toList();
            if (!direct.isEmpty()) {
                direct.forEach(x -> r.addRecord(x, Section.ANSWER));
                return r;
            }
            Record cname = zone.stream().filter(x -> x.getName().equals(cur) && x instanceof CNAMERecord)
                    .findFirst().orElse(null);
            if (cname == null) {
                boolean exists = zone.stream().anyMatch(x -> x.getName().equals(cur));
                if (!exists && hop == 0) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                return r;
            }
            r.addRecord(cname, Section.ANSWER);
            if (Boolean.TRUE.equals(cnameWithoutTarget.get(cur))) {
                return r;
            }
            current = ((CNAMERecord) cname).getTarget();
        }
        return r;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
