package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.DirectoryService;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed directory, password map and a recording queue for SMTP tests. */
final class TestCollaborators {

    static final long FULL_QUOTA = 1000;

    static DirectoryView view() {
        DomainDirectory example = new DomainDirectory("example.com",
                Map.of("alice@example.com", new Account("alice@example.com", "{PLAIN}secret"),
                        "bob@example.com", new Account("bob@example.com", "{PLAIN}secret"),
                        "full@example.com", new Account("full@example.com", "{PLAIN}x"),
                        "closed@example.com", new Account("closed@example.com", "{PLAIN}x"),
                        "mute@example.com", new Account("mute@example.com", "{PLAIN}x")),
                Map.of("sales@example.com", List.of("alice@example.com"),
                        "postmaster@example.com", List.of("alice@example.com")),
                Map.of("full@example.com", FULL_QUOTA),
                Set.of("mute@example.com"),
                Set.of("closed@example.com"));
        return DirectoryView.of(List.of(example), List.of());
    }

    static DirectoryService directory() {
        DirectoryView v = view();
        return new DirectoryService() {
            @Override
            public DirectoryView view() {
                return v;
            }

            @Override
            public CompletionStage<Void> apply(DirectoryChange change) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException("read-only test directory"));
            }
        };
    }

    /** alice and bob with password "secret", mute with "x". */
    static Authenticator authenticator() {
        Map<String, String> pw = Map.of("alice@example.com", "secret", "bob@example.com", "secret",
                "mute@example.com", "x");
        return (login, password, protocol, ip) -> CompletableFuture.supplyAsync(() -> {
            String key = login.toLowerCase();
            return password.equals(pw.get(key)) ? Authenticator.AuthResult.ok(key)
                    : Authenticator.AuthResult.failed("authentication failure");
        });
    }

    /** Usage: full@ is at 5000 bytes (over its 1000-byte quota), everyone else empty. */
    static MailboxUsage usage() {
        return account -> account.equals("full@example.com") ? 5000 : 0;
    }

    /** Records what is enqueued; can be made to fail. */
    static final class RecordingQueue implements MailQueue {
        /** @param parsed the parse the message was handed over with, or null */
        record Entry(String queueId, Envelope envelope, BlobRef blob, ParsedMessage parsed) {
        }

        final List<Entry> entries = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        private final AtomicInteger seq = new AtomicInteger();

        @Override
        public CompletionStage<String> enqueue(Envelope envelope, BlobRef message) {
            return enqueue(envelope, message, false, null);
        }

        @Override
        public CompletionStage<String> enqueue(Envelope envelope, BlobRef message, boolean requireTls,
                                               ParsedMessage parsed) {
            if (requireTls) {
                return MailQueue.super.enqueue(envelope, message, true);
            }
            if (failing) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("journal unavailable");
                });
            }
            String id = "Q" + seq.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                entries.add(new Entry(id, envelope, message, parsed));
                return id;
            });
        }
    }
}
