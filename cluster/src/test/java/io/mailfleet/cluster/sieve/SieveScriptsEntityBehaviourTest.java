package io.mailfleet.cluster.sieve;

import com.typesafe.config.Config;
import io.mailfleet.cluster.sieve.SieveScriptsEntity.Command;
import io.mailfleet.cluster.sieve.SieveScriptsEntity.Event;
import io.mailfleet.cluster.sieve.SieveScriptsEntity.Result;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.service.SieveScriptStore.Refused;
import io.mailfleet.core.service.SieveScriptStore.Script;
import io.mailfleet.core.service.SieveScriptStore.ScriptInfo;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SieveScriptsEntity} on Pekko's persistence test kit: each command's typed answer and refusals. */
class SieveScriptsEntityBehaviourTest {

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<Command, Event, SieveScriptsState> es;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        es = EventSourcedBehaviorTestKit.create(kit.system(),
                SieveScriptsEntity.create("user@example.com", new SieveQuota(2, 20)),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyCommands(false));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void scriptsAreStoredActivatedAndListedWithTypedAnswers() {
        ok((ActorRef<Result<Void>> r) -> new SieveScriptsEntity.Put("a", "keep;", r));
        ok((ActorRef<Result<Void>> r) -> new SieveScriptsEntity.Put("b", "discard;", r));
        ok((ActorRef<Result<Void>> r) -> new SieveScriptsEntity.SetActive("b", r));

        List<ScriptInfo> list = ok(SieveScriptsEntity.ListScripts::new);
        assertEquals(List.of(new ScriptInfo("a", false), new ScriptInfo("b", true)), list);
        Optional<String> source = ok(r -> new SieveScriptsEntity.Get("a", r));
        assertEquals(Optional.of("keep;"), source);
        Optional<Script> active = ok(SieveScriptsEntity.GetActive::new);
        assertEquals(Optional.of(new Script("b", "discard;")), active);

        SieveScriptsState recovered = es.restart().state();
        assertEquals(Map.of("a", "keep;", "b", "discard;"), recovered.scripts());
        assertEquals("b", recovered.active());
    }

    @Test
    void refusalsCarryTheManageSieveCodeAndWriteNothing() {
        ok((ActorRef<Result<Void>> r) -> new SieveScriptsEntity.Put("a", "keep;", r));
        ok((ActorRef<Result<Void>> r) -> new SieveScriptsEntity.SetActive("a", r));

        refused("QUOTA/MAXSIZE", r -> new SieveScriptsEntity.Put("b", "x".repeat(16), r));
        ok((ActorRef<Result<Void>> r) -> new SieveScriptsEntity.Put("b", "stop;", r));
        refused("QUOTA/MAXSCRIPTS", r -> new SieveScriptsEntity.HaveSpace("c", 1, r));
        refused("ACTIVE", r -> new SieveScriptsEntity.Delete("a", r));
        refused("NONEXISTENT", r -> new SieveScriptsEntity.Rename("zed", "z", r));
        refused("ALREADYEXISTS", r -> new SieveScriptsEntity.Rename("a", "b", r));
        refused("NONEXISTENT", r -> new SieveScriptsEntity.SetActive("zed", r));
    }

    private <T> T ok(Function<ActorRef<Result<T>>, Command> command) {
        return es.<Result<T>>runCommand(command).reply().valueOrThrow();
    }

    private void refused(String code, Function<ActorRef<Result<Void>>, Command> command) {
        var result = es.<Result<Void>>runCommand(command);
        assertEquals(code, result.reply().code());
        assertTrue(result.hasNoEvents(), code + " writes nothing");
        Refused e = assertThrows(Refused.class, () -> result.reply().valueOrThrow());
        assertEquals(code, e.code());
    }
}
