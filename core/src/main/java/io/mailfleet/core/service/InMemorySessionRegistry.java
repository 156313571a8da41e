package io.mailfleet.core.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link SessionRegistry} that only knows the sessions of this process. Right for a process that
 * is not part of a cluster (protocol tests, an embedded listener); a cluster node uses the sharded
 * {@code Sessions} entity instead, so limits and listings span every node.
 */
public final class InMemorySessionRegistry implements SessionRegistry {

    private static final Comparator<SessionInfo> ORDER =
            Comparator.comparing(SessionInfo::account).thenComparing(SessionInfo::since).thenComparing(SessionInfo::id);

    private record Entry(SessionInfo info, Runnable kick) {
    }

    private final String node;
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

    /** @param node the name shown as the sessions' node */
    public InMemorySessionRegistry(String node) {
        this.node = node;
    }

    @Override
    public synchronized CompletionStage<Optional<SessionLease>> open(String account, String protocol, String remoteIp,
                                                                    int maxPerIp, Runnable kick) {
        String key = account.toLowerCase(Locale.ROOT);
        if (maxPerIp > 0) {
            long same = sessions.values().stream().map(Entry::info).filter(i -> i.account().equals(key)
                    && i.protocol().equals(protocol) && i.remoteIp().equals(remoteIp)).count();
            if (same >= maxPerIp) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        sessions.put(id, new Entry(new SessionInfo(id, key, protocol, node, remoteIp, Instant.now()), kick));
        AtomicBoolean closed = new AtomicBoolean();
        SessionLease lease = new SessionLease() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    sessions.remove(id);
                }
            }
        };
        return CompletableFuture.completedFuture(Optional.of(lease));
    }

    @Override
    public CompletionStage<List<SessionInfo>> list(String account) {
        String key = account.toLowerCase(Locale.ROOT);
        return CompletableFuture.completedFuture(sessions.values().stream().map(Entry::info)
                .filter(i -> i.account().equals(key)).sorted(ORDER).toList());
    }

    @Override
    public CompletionStage<List<SessionInfo>> listAll() {
        return CompletableFuture.completedFuture(sessions.values().stream().map(Entry::info).sorted(ORDER).toList());
    }

    @Override
    public CompletionStage<Integer> kick(String account, Optional<String> sessionId) {
        String key = account.toLowerCase(Locale.ROOT);
        List<Entry> hit = new ArrayList<>();
        for (Entry e : sessions.values()) {
            if (e.info().account().equals(key) && sessionId.map(e.info().id()::equals).orElse(true)) {
                hit.add(e);
            }
        }
        hit.forEach(e -> e.kick().run());
        return CompletableFuture.completedFuture(hit.size());
    }
}
