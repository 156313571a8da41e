package io.mailfleet.cluster.fetchmail;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FetchmailEntity} on the in-memory journal with a scripted remote: ids are persisted before the
 * poller goes on (so before a remote delete), a second poll is handed the ids already fetched, the
 * remembered ids survive a restart, and a failing poll is recorded and backs off.
 */
class FetchmailEntityBehaviourTest {

    private static final FetchmailPolicy POLICY = new FetchmailPolicy(Duration.ofHours(1), Duration.ofHours(6));

    @TempDir
    Path data;
    private ActorTestKit kit;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    /** A remote mailbox with fixed ids; what the entity was told and when is written to {@code log}. */
    private static final class ScriptedRemote implements RemoteMailPoller {
        final List<String> remote;
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<Set<String>> knownAtPoll = new CopyOnWriteArrayList<>();
        volatile String failWith;

        ScriptedRemote(List<String> remote) {
            this.remote = remote;
        }

        @Override
        public Result poll(String source, Set<String> fetched, FetchedSink sink) throws Exception {
            knownAtPoll.add(new HashSet<>(fetched));
            if (failWith != null) {
                throw new IOException(failWith);
            }
            int n = 0;
            for (String id : remote) {
                if (!fetched.contains(id)) {
                    log.add("queued " + id);
                    sink.fetched(id); // returns once persisted
                    log.add("deleted " + id);
                    n++;
                }
            }
            return new Result(n, remote);
        }
    }

    private FetchmailEntity.SourceStatus pollNow(ActorRef<FetchmailEntity.Command> entity) {
        TestProbe<FetchmailEntity.SourceStatus> probe = kit.createTestProbe();
        entity.tell(new FetchmailEntity.PollNow(probe.getRef()));
        return probe.receiveMessage(Duration.ofSeconds(20));
    }

    private FetchmailEntity.SourceStatus status(ActorRef<FetchmailEntity.Command> entity) {
        TestProbe<FetchmailEntity.SourceStatus> probe = kit.createTestProbe();
        entity.tell(new FetchmailEntity.GetStatus(probe.getRef()));
        return probe.receiveMessage(Duration.ofSeconds(10));
    }

    @Test
    void fetchedIdsArePersistedBeforeTheRemoteDeleteAndAreNotFetchedTwice() {
        ScriptedRemote remote = new ScriptedRemote(List.of("u1", "u2"));
        ActorRef<FetchmailEntity.Command> entity = kit.spawn(
                FetchmailEntity.create("alice@pop.example", remote, POLICY, Clock.systemUTC()));
        FetchmailEntity.SourceStatus first = pollNow(entity);
        // the entity polls on its own at start too; either way each id is queued exactly once
        List<String> queued = remote.log.stream().filter(l -> l.startsWith("queued")).toList();
        assertEquals(List.of("queued u1", "queued u2"), queued);
        assertEquals(List.of("queued u1", "deleted u1", "queued u2", "deleted u2"), remote.log);
        assertEquals(2, first.fetchedTotal());
        assertEquals(2, first.knownIds());
        assertNull(first.lastError());
        assertEquals(0, first.failures());
        assertTrue(first.nextPoll() - first.lastPoll() == POLICY.interval().toMillis(), first.toString());

        FetchmailEntity.SourceStatus second = pollNow(entity);
        assertEquals(Set.of("u1", "u2"), remote.knownAtPoll.get(remote.knownAtPoll.size() - 1));
        assertEquals(2, second.fetchedTotal());
        assertEquals(0, second.lastFetched());

        // a restart (another node taking over) remembers what was fetched
        kit.stop(entity);
        ScriptedRemote after = new ScriptedRemote(List.of("u1", "u2", "u3"));
        ActorRef<FetchmailEntity.Command> again = kit.spawn(
                FetchmailEntity.create("alice@pop.example", after, POLICY, Clock.systemUTC()));
        FetchmailEntity.SourceStatus third = pollNow(again);
        assertEquals(List.of("queued u3", "deleted u3"), after.log);
        assertEquals(3, third.fetchedTotal());
    }

    @Test
    void aFailedPollIsRecordedAndBacksOffExponentially() {
        ScriptedRemote remote = new ScriptedRemote(List.of("u1"));
        remote.failWith = "login refused by pop.example: -ERR invalid password";
        ActorRef<FetchmailEntity.Command> entity = kit.spawn(
                FetchmailEntity.create("bob@pop.example", remote, POLICY, Clock.systemUTC()));
        FetchmailEntity.SourceStatus failed = pollNow(entity);
        int f = failed.failures();
        assertTrue(f >= 1, failed.toString());
        assertEquals("login refused by pop.example: -ERR invalid password", failed.lastError());
        assertEquals(POLICY.delayAfter(f).toMillis(), failed.nextPoll() - failed.lastPoll(), failed.toString());
        assertTrue(failed.nextPoll() - failed.lastPoll() >= 2 * POLICY.interval().toMillis());
        FetchmailEntity.SourceStatus twice = pollNow(entity);
        assertEquals(f + 1, twice.failures());
        assertEquals(0, twice.fetchedTotal());

        remote.failWith = null;
        FetchmailEntity.SourceStatus ok = pollNow(entity);
        assertEquals(0, ok.failures());
        assertNull(ok.lastError());
        assertEquals(1, ok.fetchedTotal());
        assertEquals(POLICY.interval().toMillis(), ok.nextPoll() - ok.lastPoll());
        assertEquals(ok.fetchedTotal(), status(entity).fetchedTotal());
    }

    @Test
    void aStopDuringAPollWaitsUntilThePollHasRecordedWhatItQueued() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RemoteMailPoller slow = (source, fetched, sink) -> {
            started.countDown();
            assertTrue(release.await(20, TimeUnit.SECONDS));
            sink.fetched("u1");
            return new RemoteMailPoller.Result(1, List.of("u1"));
        };
        ActorRef<FetchmailEntity.Command> entity = kit.spawn(
                FetchmailEntity.create("carol@pop.example", slow, POLICY, Clock.systemUTC()));
        TestProbe<FetchmailEntity.SourceStatus> probe = kit.createTestProbe();
        entity.tell(new FetchmailEntity.PollNow(probe.getRef()));
        assertTrue(started.await(20, TimeUnit.SECONDS));
        entity.tell(new FetchmailEntity.Stop()); // as sharding does when the entity moves to another node
        release.countDown();
        assertEquals(1, probe.receiveMessage(Duration.ofSeconds(20)).fetchedTotal());
        probe.expectTerminated(entity, Duration.ofSeconds(20));

        ScriptedRemote remote = new ScriptedRemote(List.of("u1"));
        ActorRef<FetchmailEntity.Command> next = kit.spawn(
                FetchmailEntity.create("carol@pop.example", remote, POLICY, Clock.systemUTC()));
        pollNow(next);
        assertEquals(List.of(), remote.log, "the next owner does not fetch u1 again");
    }

    /** A remote with IDLE: the test announces new mail through the listener the entity gave its watch. */
    private static final class WatchedRemote implements RemoteMailPoller {
        final List<String> remote = new CopyOnWriteArrayList<>();
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<WatchListener> listeners = new CopyOnWriteArrayList<>();
        final List<Boolean> closed = new CopyOnWriteArrayList<>();

        @Override
        public Result poll(String source, Set<String> fetched, FetchedSink sink) throws Exception {
            int n = 0;
            for (String id : List.copyOf(remote)) {
                if (!fetched.contains(id)) {
                    log.add("queued " + id);
                    sink.fetched(id);
                    n++;
                }
            }
            return new Result(n, remote);
        }

        @Override
        public Watch watch(String source, WatchListener listener) {
            int i = listeners.size();
            listeners.add(listener);
            closed.add(false);
            return () -> closed.set(i, true);
        }
    }

    @Test
    void announcedMailIsFetchedAtOnceAndTheWatchClosesWhenTheEntityStops() {
        WatchedRemote remote = new WatchedRemote();
        remote.remote.add("u1");
        ActorRef<FetchmailEntity.Command> entity = kit.spawn(
                FetchmailEntity.create("dave@imap.example", remote, POLICY, Clock.systemUTC()));
        FetchmailEntity.SourceStatus first = pollNow(entity);
        assertTrue(first.watching(), first.toString());
        assertEquals(1, remote.listeners.size(), "one watch after a good poll");

        // the poll interval is an hour: only the announcement can make the entity fetch u2 now
        remote.remote.add("u2");
        remote.listeners.get(0).newMail();
        TestProbe<FetchmailEntity.SourceStatus> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(List.of("queued u1", "queued u2"), remote.log);
            return null;
        });
        assertEquals(1, remote.listeners.size(), "the open watch is kept, not opened again");
        assertEquals(List.of(false), remote.closed);

        // sharding's stop message (a rebalance, the node leaving) closes the watch
        entity.tell(new FetchmailEntity.Stop());
        probe.expectTerminated(entity, Duration.ofSeconds(20));
        assertEquals(List.of(true), remote.closed);
        // what the closed watch still reports goes nowhere; the next owner opens its own
        remote.listeners.get(0).newMail();
        ActorRef<FetchmailEntity.Command> next = kit.spawn(
                FetchmailEntity.create("dave@imap.example", remote, POLICY, Clock.systemUTC()));
        assertTrue(pollNow(next).watching());
        assertEquals(2, remote.listeners.size());
        kit.stop(next);
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(List.of(true, true), remote.closed, "stopping the actor closes its watch too");
            return null;
        });
    }

    @Test
    void aServerWithoutIdleIsPolledAndAFailedWatchWaitsForTheNextInterval() {
        WatchedRemote remote = new WatchedRemote();
        ActorRef<FetchmailEntity.Command> entity = kit.spawn(
                FetchmailEntity.create("erin@imap.example", remote, POLICY, Clock.systemUTC()));
        pollNow(entity);
        remote.listeners.get(0).ended(true, null);
        TestProbe<FetchmailEntity.SourceStatus> probe = kit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            assertTrue(!status(entity).watching());
            return null;
        });
        pollNow(entity);
        assertEquals(1, remote.listeners.size(), "no IDLE on that server: not tried again");

        ActorRef<FetchmailEntity.Command> other = kit.spawn(
                FetchmailEntity.create("frank@imap.example", remote, POLICY, Clock.systemUTC()));
        pollNow(other);
        assertEquals(2, remote.listeners.size());
        remote.listeners.get(1).ended(false, "connection reset");
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            assertTrue(!status(other).watching());
            return null;
        });
        FetchmailEntity.SourceStatus polled = pollNow(other);
        assertNull(polled.lastError(), "a failed watch is not a failed poll");
        assertEquals(2, remote.listeners.size(), "the next watch waits for a poll interval, never a tight loop");
    }
}
