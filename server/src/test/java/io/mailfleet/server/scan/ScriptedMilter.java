package io.mailfleet.server.scan;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A milter on loopback speaking the real wire protocol (length, command, data), whose answers a test
 * scripts: what a misbehaving or opinionated milter says, which a packaged one cannot be made to.
 */
final class ScriptedMilter implements AutoCloseable {

    /** One packet either way. */
    record Packet(char command, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    /** The answers to one packet: null to hang (say nothing more), an empty list for none. */
    @FunctionalInterface
    interface Script {
        List<Packet> answer(Packet received);
    }

    final List<Packet> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Thread thread;
    volatile int actions;
    private final int protocol;
    volatile Script script;

    ScriptedMilter(int actions, int protocol, Script script) throws IOException {
        this.actions = actions;
        this.protocol = protocol;
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "scripted-milter");
        thread.setDaemon(true);
        thread.start();
    }

    /** A milter that continues at every step and accepts at the end. */
    static Script accepting() {
        return p -> switch (p.command()) {
            case 'E' -> List.of(packet('a'));
            default -> List.of(packet('c'));
        };
    }

    static Packet packet(char command, byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return new Packet(command, b.array());
    }

    static byte[] nul(String... s) {
        StringBuilder b = new StringBuilder();
        for (String x : s) {
            b.append(x).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] int32(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    String spec() {
        return "inet:127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                converse(new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()));
            } catch (IOException e) {
                // the client went away (as it does after a time-out) or the server closed
            }
        }
    }

    private void converse(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            int len = in.readInt();
            char cmd = (char) in.readUnsignedByte();
            byte[] data = in.readNBytes(len - 1);
            Packet p = new Packet(cmd, data);
            received.add(p);
            if (cmd == 'O') {
                write(out, packet('O', int32(6), int32(actions), int32(protocol)));
                continue;
            }
            if (cmd == 'D' || cmd == 'A') {
                continue;
            }
            if (cmd == 'Q') {
                return;
            }
            List<Packet> answers = script.answer(p);
            if (answers == null) {
                while (in.read() >= 0) {
                    // hang: read on without answering until the client gives up
                }
                return;
            }
            for (Packet a : answers) {
                write(out, a);
            }
        }
    }

    private static void write(DataOutputStream out, Packet p) throws IOException {
        if (p.command() == '\u0000') {
            out.write(p.data());
            out.flush();
            return;
        }
        out.writeInt(p.data().length + 1);
        out.write(p.command());
        out.write(p.data());
        out.flush();
    }

    /** Raw bytes, for a milter that answers garbage. */
    static Packet raw(String bytes) {
        return new Packet('\u0000', bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
