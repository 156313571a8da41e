package io.mailfleet.cluster.auth;

import io.mailfleet.cluster.testkit.OneAccountDirectory;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.service.Authenticator.AuthResult;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 6 of issue 12: a wrong password for an existing account took 3.7 ms, an unknown account
 * 1.2 ms, so the timing told which accounts exist. Measured on the authenticator itself (no failure
 * delay), hashing on the calling thread, as that thread's CPU time so other work on the shared test
 * machine does not blur it; the bound is the one the issue asks for (medians within 20 %).
 */
class ConstantTimeFailureTest {

    private static final int TRIES = 101;
    /** Rounds not counted: until the JIT has compiled the hash code every path runs (seen: 10 were too few). */
    private static final int WARM_UP = 100;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time of this thread for one check: the work done, not how busy the shared machine is. */
    private static long nanos(DirectoryAuthenticator auth, String login, String password) {
        long t = THREADS.getCurrentThreadCpuTime();
        AuthResult r = auth.authenticate(login, password, "imap", "192.0.2.1").toCompletableFuture().join();
        long took = THREADS.getCurrentThreadCpuTime() - t;
        assertEquals(AuthResult.failed("authentication failure"), r, "every failure looks the same to the client");
        return took;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    @Test
    void unknownAccountsAndEmptyPasswordsTakeAsLongAsAWrongPassword() {
        assertTrue(THREADS.isCurrentThreadCpuTimeSupported(), "this JVM measures thread CPU time");
        String hash = PasswordSchemes.hash("right-password");
        DirectoryAuthenticator auth = new DirectoryAuthenticator(new OneAccountDirectory("user@example.com", hash), Runnable::run);
        assertTrue(auth.authenticate("User@Example.com", "right-password", "imap", "192.0.2.1")
                .toCompletableFuture().join().success());

        List<Long> wrong = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        List<Long> empty = new ArrayList<>();
        // Interleaved, so a slower moment of the shared machine hits all three alike; the first
        // rounds warm the JIT and are not counted.
        for (int i = 0; i < TRIES + WARM_UP; i++) {
            long w = nanos(auth, "user@example.com", "wrong-password-" + i);
            long u = nanos(auth, "nobody" + i + "@example.com", "wrong-password-" + i);
            long e = nanos(auth, "user@example.com", "");
            if (i >= WARM_UP) {
                wrong.add(w);
                unknown.add(u);
                empty.add(e);
            }
        }
        long mw = median(wrong);
        long mu = median(unknown);
        long me = median(empty);
        String report = String.format("CPU time medians: wrong password %.2f ms, unknown account %.2f ms, empty password %.2f ms",
                mw / 1e6, mu / 1e6, me / 1e6);
        System.out.println("constant-time failures: " + report);
        assertTrue(Math.abs(mu - mw) <= 0.2 * mw, report);
        assertTrue(Math.abs(me - mw) <= 0.2 * mw, report);
    }
}
