package io.mailfleet.server.imap;

import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * imaptest-style state tracking on raw sockets: {@value #CLIENTS} clients on two shared mailboxes
 * run random STORE (new keywords too), EXPUNGE, APPEND, COPY, MOVE, FETCH, NOOP and SELECT for a
 * bounded time, each checking every untagged response against {@link ImapClientModel}. The random
 * choices are seeded per client; the interleaving is whatever the machine makes of it.
 */
class ImapStateTrackingStressTest {

    private static final int CLIENTS = 6;
    private static final long SEED = 13;
    private static final long RUN_MILLIS = Long.getLong("mailfleet.test.imap-stress-millis", 20_000);
    private static final List<String> FOLDERS = List.of("Shared1", "Shared2");
    private static final List<String> FLAGS = List.of("\\Seen", "\\Flagged", "\\Answered", "\\Draft", "\\Deleted",
            "$Label1", "$Label2", "$Work");

    @TempDir
    static Path data;
    static ImapTestNode node;
    static ImapServer imap;

    @BeforeAll
    static void start() throws Exception {
        node = ImapTestNode.start(data);
        imap = node.listen(ImapTestNode.settings().withAppendLimit(1_000_000));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void concurrentClientsSeeAConsistentMailbox() throws Exception {
        try (Wire setup = ImapExtensionsTest.login(imap)) {
            for (String f : FOLDERS) {
                ImapExtensionsTest.ok(setup.command("c", "CREATE " + f));
                for (int i = 0; i < 5; i++) {
                    ImapExtensionsTest.append(setup, f, "", message("seed " + i));
                }
            }
        }
        List<String> errors = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                runs.add(clients.submit(() -> runClient(id, deadline, errors)));
            }
            int commands = 0;
            for (Future<Integer> r : runs) {
                commands += r.get(RUN_MILLIS + 120_000, TimeUnit.MILLISECONDS);
            }
            assertTrue(commands > CLIENTS, "the clients ran commands: " + commands);
        } finally {
            clients.shutdownNow();
        }
        Map<String, Long> kinds = new java.util.TreeMap<>();
        for (String e : errors) {
            kinds.merge(e.replaceAll("^\\S+ \\[([A-Z]+)[^]]*\\] ", "$1: ").replaceAll("[0-9$].*", ""), 1L, Long::sum);
        }
        assertEquals(List.of(), errors.subList(0, Math.min(errors.size(), 30)), errors.size() + " errors " + kinds);
    }

    private static String message(String subject) {
        return "From: stress@example.com\r\nSubject: " + subject + "\r\n\r\nbody " + subject + "\r\n";
    }

    /** One client's random session; the number of commands it sent. */
    private static int runClient(int id, long deadline, List<String> errors) throws IOException {
        Random random = new Random(SEED * 31 + id);
        ImapClientModel model = new ImapClientModel("client" + id, errors);
        int commands = 0;
        int newKeywords = 0;
        try (Wire c = loginRaw()) {
            String folder = FOLDERS.get(id % FOLDERS.size());
            commands += run(c, model, "SELECT " + folder);
            while (System.nanoTime() < deadline) {
                String other = FOLDERS.get(random.nextInt(FOLDERS.size()));
                int exists = model.exists();
                String seq = exists == 0 ? null : String.valueOf(1 + random.nextInt(exists));
                int op = random.nextInt(100);
                String command;
                if (op < 30 && seq != null) {
                    String flag = FLAGS.get(random.nextInt(FLAGS.size()));
                    if (random.nextInt(10) == 0 && newKeywords < 15) {
                        flag = "$New" + id + "x" + newKeywords++;
                    }
                    command = "STORE " + seq + (random.nextBoolean() ? " +FLAGS (" : " -FLAGS (") + flag + ")";
                } else if (op < 45) {
                    command = "FETCH " + (seq == null || random.nextBoolean() ? "1:*" : seq) + " (UID FLAGS)";
                } else if (op < 55) {
                    command = "EXPUNGE";
                } else if (op < 70) {
                    byte[] m = message("client " + id + " op " + commands).getBytes(StandardCharsets.UTF_8);
                    command = "APPEND " + other + " {" + m.length + "+}\r\n" + new String(m, StandardCharsets.UTF_8);
                } else if (op < 78 && seq != null) {
                    command = "COPY " + seq + " " + other;
                } else if (op < 86 && seq != null) {
                    command = "MOVE " + seq + " " + other;
                } else if (op < 94) {
                    command = "NOOP";
                } else if (op < 97) {
                    command = "UID FETCH 1:* (FLAGS)";
                } else {
                    folder = other;
                    command = "SELECT " + folder;
                }
                commands += run(c, model, command);
            }
            commands += run(c, model, "LOGOUT");
        }
        return commands;
    }

    private static Wire loginRaw() throws IOException {
        Wire c = Wire.imap(imap.port());
        c.command("L", "LOGIN user@example.com secret");
        return c;
    }

    private static int run(Wire c, ImapClientModel model, String command) throws IOException {
        if (command.startsWith("SELECT")) {
            model.selecting();
        }
        List<String> lines = c.command("t", command);
        model.check(command.length() > 40 ? command.substring(0, 40) : command, lines);
        return 1;
    }
}
