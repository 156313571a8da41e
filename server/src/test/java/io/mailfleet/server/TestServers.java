package io.mailfleet.server;

import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MailfleetConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts real single-node servers for end-to-end tests, every port free and on loopback. */
public final class TestServers {

    private TestServers() {
    }

    /** Environment of a node storing under {@code data}; {@code extra} overrides any key. */
    public static Map<String, String> env(Path data, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MAILFLEET_DATA", data.toString());
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        env.put("MAILFLEET_BIND_ADDRESS", "127.0.0.1");
        env.put("MAILFLEET_SMTP_PORT", "0");
        env.put("MAILFLEET_SUBMISSION_PORT", "0");
        env.put("MAILFLEET_SUBMISSIONS_PORT", "0");
        env.put("MAILFLEET_MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put("MAILFLEET_CLUSTER_PORT", Integer.toString(freePort()));
        env.put("MAILFLEET_CLUSTER_MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put("MAILFLEET_IMAP_PORT", "0");
        env.put("MAILFLEET_IMAPS_PORT", "0");
        env.put("ENABLE_POP3", "1");
        env.put("MAILFLEET_POP3_PORT", "0");
        env.put("MAILFLEET_POP3S_PORT", "0");
        env.put("ENABLE_MANAGESIEVE", "1");
        env.put("MAILFLEET_MANAGESIEVE_PORT", "0");
        // SPF (on by default) would ask the system's DNS about every test sender; tests of it turn it on
        env.put("ENABLE_POLICYD_SPF", "0");
        // likewise DKIM verification would add Authentication-Results to mail from untrusted test clients
        env.put("ENABLE_OPENDKIM", "0");
        env.putAll(extra);
        return env;
    }

    public static MailfleetServer start(Map<String, String> env, FirstAccount first) throws Exception {
        LoadedConfig loaded = MailfleetConfig.load(null, env);
        TestClusterCredentials.provision(loaded.settings().cluster());
        return MailfleetServer.start(loaded, first);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
