package io.mailfleet.core.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemorySessionRegistryTest {

    @Test
    void limitPerProtocolAndAddressListingAndKick() {
        SessionRegistry r = new InMemorySessionRegistry("n1");
        AtomicInteger kicked = new AtomicInteger();
        SessionLease one = r.open("U@example.com", "imap", "192.0.2.1", 2, kicked::incrementAndGet)
                .toCompletableFuture().join().orElseThrow();
        r.open("u@example.com", "imap", "192.0.2.1", 2, kicked::incrementAndGet).toCompletableFuture().join()
                .orElseThrow();
        assertTrue(r.open("u@example.com", "imap", "192.0.2.1", 2, () -> { }).toCompletableFuture().join().isEmpty());
        r.open("u@example.com", "pop3", "192.0.2.1", 2, () -> { }).toCompletableFuture().join().orElseThrow();
        r.open("u@example.com", "imap", "192.0.2.2", 2, () -> { }).toCompletableFuture().join().orElseThrow();
        List<SessionInfo> list = r.list("u@example.com").toCompletableFuture().join();
        assertEquals(4, list.size());
        assertEquals("u@example.com", list.get(0).account());
        assertEquals("n1", list.get(0).node());
        assertEquals(1, r.kick("u@example.com", Optional.of(one.id())).toCompletableFuture().join());
        assertEquals(1, kicked.get());
        one.close();
        one.close();
        r.open("u@example.com", "imap", "192.0.2.1", 2, () -> { }).toCompletableFuture().join().orElseThrow();
        assertEquals(4, r.kick("u@example.com", Optional.empty()).toCompletableFuture().join());
        assertEquals(0, r.kick("nobody@example.com", Optional.empty()).toCompletableFuture().join());
        assertEquals(4, r.listAll().toCompletableFuture().join().size());
    }
}
