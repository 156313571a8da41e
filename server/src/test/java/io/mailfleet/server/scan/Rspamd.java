package io.mailfleet.server.scan;

import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Rspamd on loopback: Debian's configuration with one normal worker, no Redis, no DNS (a dead
 * resolver) and Hyperscan off, so it starts in seconds instead of compiling its regexps for a minute.
 */
final class Rspamd implements AutoCloseable {

    final int port;
    private final Daemon daemon;

    private Rspamd(int port, Daemon daemon) {
        this.port = port;
        this.daemon = daemon;
    }

    static Rspamd start(Path dir) throws Exception {
        Path rspamd = ExternalTool.require("rspamd", "rspamd");
        int port = TestServers.freePort();
        Path db = Files.createDirectories(dir.resolve("db"));
        Path conf = Files.writeString(dir.resolve("rspamd.conf"), String.join("\n",
                ".include \"$CONFDIR/common.conf\"",
                "options {",
                "  pidfile = \"" + dir.resolve("rspamd.pid") + "\";",
                "  dns { nameserver = [\"127.0.0.1:1\"]; timeout = 0.5s; retransmits = 1; }",
                "  disable_hyperscan = true;",
                "}",
                "logging { type = \"console\"; level = \"notice\"; }",
                "worker \"normal\" {",
                "  bind_socket = \"127.0.0.1:" + port + "\";",
                "  count = 1;",
                "  .include \"$CONFDIR/worker-normal.inc\"",
                "}",
                // per-sender verdicts, so each action is reached deterministically from loopback without DNS
                "settings {",
                "  clean { priority = high; from = \"clean@remote.example\"; apply { actions {"
                        + " greylist = 900; \"add header\" = 950; \"rewrite subject\" = 960; reject = 1000; } } }",
                "  junk { priority = high; from = \"junk@remote.example\"; apply { actions {"
                        + " reject = 1000; \"add header\" = -1000; greylist = null; \"rewrite subject\" = null; } } }",
                "  grey { priority = high; from = \"grey@remote.example\"; apply { actions {"
                        + " reject = 1000; \"add header\" = 999; greylist = -1000; } } }",
                "}", ""));
        List<String> cmd = new ArrayList<>(List.of(rspamd.toString(), "-f", "-i", "-c", conf.toString(),
                "--var=DBDIR=" + db, "--var=RUNDIR=" + dir, "--var=LOGDIR=" + dir));
        if (Daemon.root()) {
            cmd.addAll(List.of("-u", "root", "-g", "root", "--insecure"));
        }
        return new Rspamd(port, Daemon.start(cmd, dir.resolve("rspamd.log"), port));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        daemon.close();
    }
}
