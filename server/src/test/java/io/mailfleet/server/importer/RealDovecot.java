package io.mailfleet.server.importer;

import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private real Dovecot (Debian's dovecot-imapd 2.3) for the import tests: an IMAP listener on
 * 127.0.0.1, docker-mailserver's mail layout ({@code <mail>/<domain>/<user>}) in a directory of the
 * test, one password for every user, delivery through {@code dovecot-lda} and {@code doveadm} for
 * the rest. As root (CI) the mail processes run as {@code nobody}, which Dovecot requires.
 *
 * <p>The index settings make Dovecot write {@code dovecot.index} and rotate its log after a few
 * kilobytes (instead of 8 and 32 KB), so a small test mailbox has every index file Dovecot can have.
 */
public final class RealDovecot implements AutoCloseable {

    public static final String PASSWORD = "dovecot-pw";

    private final Path dir;
    private final Path conf;
    private final int imapPort;
    private final Process master;

    private RealDovecot(Path dir, Path conf, int imapPort, Process master) {
        this.dir = dir;
        this.conf = conf;
        this.imapPort = imapPort;
        this.master = master;
    }

    /**
     * Starts Dovecot with mail under {@code dir/mail} in {@code format} ({@code maildir}, {@code sdbox}
     * or {@code mdbox}); fails the test when Dovecot is not installed.
     */
    public static RealDovecot start(Path dir, String format) throws Exception {
        ExternalTool.require("dovecot", "dovecot-imapd");
        ExternalTool.require("doveadm", "dovecot-imapd");
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        String uid = run(root ? List.of("id", "-u", "nobody") : List.of("id", "-u")).strip();
        String gid = run(root ? List.of("id", "-g", "nobody") : List.of("id", "-g")).strip();
        if (root) {
            run(List.of("chown", uid + ":" + gid, mail.toString()));
        }
        // without root, Dovecot runs its own processes as the caller too
        String ownUsers = root ? "" : "default_internal_user = " + System.getProperty("user.name")
                + "\ndefault_login_user = " + System.getProperty("user.name") + "\n";
        int port = TestServers.freePort();
        String location = format.equals("maildir") ? "maildir:" + mail + "/%d/%n"
                : format + ":" + mail + "/%d/%n";
        String text = """
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                info_log_path = %1$s/dovecot.log
                mail_location = %2$s
                mail_home = %3$s/%%d/%%n/home
                mail_uid = %4$s
                mail_gid = %5$s
                first_valid_uid = 1
                mail_index_rewrite_min_log_bytes = 2k
                mail_index_log_rotate_min_size = 4k
                mail_index_log_rotate_max_size = 4k
                mail_index_log_rotate_min_age = 0
                passdb {
                  driver = static
                  args = password=%6$s
                }
                userdb {
                  driver = static
                  args = uid=%4$s gid=%5$s
                }
                service imap-login {
                  inet_listener imap {
                    port = %7$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                namespace inbox {
                  inbox = yes
                  separator = /
                }
                """.formatted(dir, location, mail, uid, gid, PASSWORD, port) + ownUsers;
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, text);
        Process p = new ProcessBuilder("dovecot", "-F", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("master.out").toFile()).start();
        RealDovecot d = new RealDovecot(dir, conf, port, p);
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return d;
            } catch (IOException e) {
                if (!p.isAlive() || Instant.now().isAfter(until)) {
                    d.close();
                    throw new AssertionError("Dovecot did not start: " + d.log());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The IMAP port on 127.0.0.1. */
    public int imapPort() {
        return imapPort;
    }

    /** The mail directory of {@code user@domain}: {@code <dir>/mail/<domain>/<user>}. */
    public Path mailbox(String address) {
        String[] parts = address.split("@");
        return dir.resolve("mail").resolve(parts[1]).resolve(parts[0]);
    }

    /** Delivers {@code message} (LF line ends are fine) to {@code folder} of {@code address} with dovecot-lda. */
    public void deliver(String address, String folder, String message) throws Exception {
        Process p = new ProcessBuilder("/usr/lib/dovecot/dovecot-lda", "-c", conf.toString(), "-d", address, "-m", folder)
                .redirectErrorStream(true).start();
        p.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("dovecot-lda failed: " + out + log());
        }
    }

    /** Runs {@code doveadm <args>} against this Dovecot; answers its output. */
    public String doveadm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("doveadm", "-c", conf.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Dovecot's log, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("dovecot.log")) + Files.readString(dir.resolve("master.out"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops Dovecot; its index files are written by then. */
    @Override
    public void close() throws Exception {
        try {
            doveadm("stop");
        } catch (AssertionError e) {
            master.destroy();
        }
        if (!master.waitFor(30, TimeUnit.SECONDS)) {
            master.destroyForcibly();
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
