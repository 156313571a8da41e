package io.mailfleet.server.scan;

import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real spamd on loopback with Debian's rules, local tests only (no network look-ups). */
final class Spamd implements AutoCloseable {

    /** SpamAssassin's GTUBE: the rule GTUBE scores it 1000. */
    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    final int port;
    private final Daemon daemon;

    private Spamd(int port, Daemon daemon) {
        this.port = port;
        this.daemon = daemon;
    }

    static Spamd start(Path dir) throws Exception {
        Path spamd = ExternalTool.require("spamd", "spamd");
        int port = TestServers.freePort();
        List<String> cmd = new ArrayList<>(List.of(spamd.toString(), "--local", "--nouser-config",
                "--listen=127.0.0.1:" + port, "--allowed-ips=127.0.0.1", "--max-children=2",
                "--syslog=stderr", "--pidfile=" + dir.resolve("spamd.pid")));
        if (Daemon.root()) {
            cmd.add("--username=nobody");
        }
        return new Spamd(port, Daemon.start(cmd, dir.resolve("spamd.log"), port));
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        daemon.close();
    }
}
