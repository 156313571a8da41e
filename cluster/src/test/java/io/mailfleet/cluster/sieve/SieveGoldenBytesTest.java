package io.mailfleet.cluster.sieve;

import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events and snapshots of the SieveScripts entity as stored today must load in every later version.
 * The first run records {@code src/test/resources/golden/cluster/sieve-*}; later runs verify them.
 */
class SieveGoldenBytesTest {

    private final KryoCodec codec = KryoCodec.fromDefaultConfig();

    private void golden(Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/sieve-" + name + ".b64");
    }

    @Test
    void eventsAndSnapshot() {
        golden(new SieveScriptsEntity.ScriptPut("vacation", "require \"vacation\";\nvacation \"away\";\n"), "put");
        golden(new SieveScriptsEntity.ScriptDeleted("old"), "deleted");
        golden(new SieveScriptsEntity.ScriptRenamed("a", "b"), "renamed");
        golden(new SieveScriptsEntity.ActiveChanged("b"), "active");
        golden(new SieveScriptsState(Map.of("b", "keep;", "c", "discard;"), "b"), "state");
    }

    @Test
    void repliesRoundTrip() {
        for (Object o : List.of(
                new SieveScriptsEntity.Result(List.of(new SieveScriptStore.ScriptInfo("a", true)), null, null),
                new SieveScriptsEntity.Result(Optional.of(new SieveScriptStore.Script("a", "keep;")), null, null),
                new SieveScriptsEntity.Result(null, "QUOTA/MAXSIZE", "too big"))) {
            assertEquals(o, codec.fromBinary(codec.toBinary(o)));
        }
    }
}
