package io.mailfleet.cli;

import io.mailfleet.server.config.EnvVars;
import io.mailfleet.server.config.LoadedConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * After a start-up that failed to bind: which of the node's ports are taken, each named with the
 * setting and environment variable that moves it. "Address already in use" alone does not say which
 * of a dozen ports, and {@code --port-offset} moves only the mail ports.
 */
final class BusyPorts {

    /** Mail listener ports: moved by {@code --port-offset}. */
    private static final List<String> MAIL = List.of("mailfleet.smtp.port", "mailfleet.smtp.submission-port",
            "mailfleet.smtp.submissions-port", "mailfleet.imap.port", "mailfleet.imap.tls-port", "mailfleet.pop3.port",
            "mailfleet.pop3.tls-port", "mailfleet.managesieve.port");
    /** The node's other ports: not moved by the offset, since CLI calls and other nodes must find them. */
    private static final List<String> NODE = List.of("mailfleet.management.port", "mailfleet.cluster.port",
            "mailfleet.cluster.management-port");

    private BusyPorts() {
    }

    /**
     * One entry per port that cannot be bound, e.g.
     * {@code port 8780 is in use (mailfleet.management.port, MAILFLEET_MANAGEMENT_PORT)}.
     */
    static List<String> describe(LoadedConfig loaded) {
        int offset = loaded.settings().portOffset();
        String bind = loaded.settings().bindAddress();
        List<String> busy = new ArrayList<>();
        for (String key : MAIL) {
            check(loaded, key, offset, bind, busy);
        }
        for (String key : NODE) {
            check(loaded, key, 0, key.equals("mailfleet.management.port") ? loaded.settings().management().bind() : bind,
                    busy);
        }
        return busy;
    }

    private static void check(LoadedConfig loaded, String key, int offset, String bind, List<String> busy) {
        if (!loaded.config().hasPath(key)) {
            return;
        }
        int port = loaded.config().getInt(key);
        if (port <= 0) {
            return;
        }
        int actual = port + offset;
        String problem = actual > 65535 ? null : problem(bind, actual);
        if (problem == null) {
            return;
        }
        String env = EnvVars.mapping().entrySet().stream().filter(e -> e.getValue().equals(key))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        busy.add("port " + actual + " " + problem + " (" + key + (env == null ? "" : ", " + env)
                + (offset != 0 ? ", moved by --port-offset " + offset : "") + ")");
    }

    /** Null when the port can be bound, else why not. */
    private static String problem(String bind, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(bind == null || bind.isEmpty() ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(bind), port));
            return null;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains("ermission") ? "needs root" : "is in use";
        }
    }
}
