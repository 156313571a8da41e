package io.mailfleet.server.scan;

import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real clamd on loopback (TCP and a Unix socket) whose only signature is the EICAR test file's, as a
 * body signature made with {@code sigtool --hex-dump}: no signature download.
 */
final class Clamd implements AutoCloseable {

    /** The EICAR anti-virus test file (68 octets, harmless by definition). */
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String SIGNATURE = "Mailfleet-Test-EICAR";

    final int port;
    final Path socket;
    private final Daemon daemon;

    private Clamd(int port, Path socket, Daemon daemon) {
        this.port = port;
        this.socket = socket;
        this.daemon = daemon;
    }

    static Clamd start(Path dir) throws Exception {
        Path clamd = ExternalTool.require("clamd", "clamav-daemon");
        Path sigtool = ExternalTool.require("sigtool", "clamav");
        Path db = Files.createDirectories(dir.resolve("db"));
        Path sample = Files.writeString(dir.resolve("eicar.txt"), EICAR, StandardCharsets.US_ASCII);
        Process hex = new ProcessBuilder(sigtool.toString(), "--hex-dump").redirectInput(sample.toFile()).start();
        String dump = new String(hex.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (hex.waitFor() != 0 || dump.isEmpty()) {
            throw new AssertionError("sigtool --hex-dump failed: " + new String(hex.getErrorStream().readAllBytes()));
        }
        Files.writeString(db.resolve("mailfleet-test.ndb"), SIGNATURE + ":0:*:" + dump + "\n");
        int port = TestServers.freePort();
        Path socket = dir.resolve("clamd.sock");
        Path conf = Files.writeString(dir.resolve("clamd.conf"), String.join("\n",
                "Foreground yes",
                "DatabaseDirectory " + db,
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "LocalSocket " + socket,
                "PidFile " + dir.resolve("clamd.pid"),
                "StreamMaxLength 100M",
                "MaxThreads 4",
                "LogFile " + dir.resolve("clamd.log"),
                ""));
        return new Clamd(port, socket, Daemon.start(List.of(clamd.toString(), "-c", conf.toString()),
                dir.resolve("clamd.out"), port));
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        daemon.close();
    }
}
