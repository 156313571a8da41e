package io.mailfleet.server.auth;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.Authenticator.AuthResult;
import io.mailfleet.server.admin.InMemoryDirectoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The master-user layer over the real account authenticator and a directory: the SMTP switch, the
 * pass-through of ordinary logins, and the master file's bad lines.
 */
class MasterUserAuthenticatorTest {

    @TempDir
    Path dir;
    private ExecutorService executor;
    private InMemoryDirectoryService directory;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        executor = Executors.newFixedThreadPool(2);
        directory = new InMemoryDirectoryService();
        directory.apply(new DirectoryChange.AddAccount("user@example.com", PasswordSchemes.hash("user-pw")))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        file = dir.resolve(MasterUsersFile.FILE_NAME);
        Files.writeString(file, "admin|" + PasswordSchemes.hash("master-pw") + "\nbroken line\n*bad|{PLAIN}x\n");
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    private Authenticator authenticator(boolean smtpAllowed) {
        return new MasterUserAuthenticator(new DirectoryAuthenticator(directory, executor), new MasterUsersFile(file),
                directory, executor, null, smtpAllowed);
    }

    private static AuthResult login(Authenticator a, String login, String password, String protocol) throws Exception {
        return a.authenticate(login, password, protocol, "192.0.2.1").toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void smtpNeedsTheSwitch() throws Exception {
        assertFalse(login(authenticator(false), "user@example.com*admin", "master-pw", "smtp").success());
        AuthResult allowed = login(authenticator(true), "user@example.com*admin", "master-pw", "smtp");
        assertTrue(allowed.success());
        assertEquals("user@example.com", allowed.account(), "the session is the user's");
        assertEquals("user@example.com", login(authenticator(false), "USER@example.com*Admin", "master-pw", "imap").account(),
                "names in any case");
    }

    @Test
    void ordinaryLoginsPassThroughAndFailuresSayNothing() throws Exception {
        Authenticator a = authenticator(false);
        assertTrue(login(a, "user@example.com", "user-pw", "smtp").success());
        assertFalse(login(a, "user@example.com", "master-pw", "imap").success(), "the master password is no user password");
        AuthResult failed = login(a, "user@example.com*admin", "", "imap");
        assertEquals(AuthResult.failed("authentication failure"), failed, "an empty master password");
    }

    @Test
    void unreadableLinesAreSkipped() {
        assertEquals(java.util.Set.of("admin"),
                MasterUsersFile.parse(file, java.util.List.of("admin|{PLAIN}x", "broken line", "*bad|{PLAIN}x",
                        "empty|", "# comment", "")).keySet());
    }
}
