package io.mailfleet.server.cluster.formation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedChoiceTest {

    private static final String A = "pekko://mailfleet@10.0.0.11:7355";
    private static final String B = "pekko://mailfleet@10.0.0.12:7355";
    private static final String C = "pekko://mailfleet@10.0.0.13:7355";

    @Test
    void withNoClusterRunningTheConfiguredSeedsStayAsTheyAre() {
        SeedChoice.Choice c = SeedChoice.choose(List.of(A, B), A, List.of());
        assertEquals(List.of(A, B), c.seeds());
        assertNull(c.note());
    }

    @Test
    void theFirstSeedRestartedWhileOthersRunNeverNamesItselfSoPekkoCannotMakeItFormACluster() {
        SeedChoice.Choice c = SeedChoice.choose(List.of(A, B), A, List.of(B, C));
        assertEquals(List.of(B, C), c.seeds());
        assertTrue(c.note().contains(B) && c.note().contains(C), c.note());
    }

    @Test
    void onlyItsOwnEarlierIncarnationRunningCountsAsNoCluster() {
        // a host that vanished: PostgreSQL may still see its old connection for a few seconds
        SeedChoice.Choice c = SeedChoice.choose(List.of(A, B), A, List.of(A));
        assertEquals(List.of(A, B), c.seeds());
        assertNull(c.note());
    }

    @Test
    void runningMembersComeFirstThenTheOtherConfiguredSeeds() {
        SeedChoice.Choice c = SeedChoice.choose(List.of(A, B), C, List.of(B));
        assertEquals(List.of(B, A), c.seeds());
    }

    @Test
    void aNodeWithoutSeedsRefusesToStartASecondClusterOnTheSameDatabase() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SeedChoice.choose(List.of(), A, List.of(B)));
        assertTrue(e.getMessage().contains(B) && e.getMessage().contains("MAILFLEET_SEED_NODES"), e.getMessage());
    }
}
