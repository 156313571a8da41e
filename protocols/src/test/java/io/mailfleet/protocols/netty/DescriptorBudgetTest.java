package io.mailfleet.protocols.netty;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorBudgetTest {

    @Test
    void theCapKeepsAFifthOfTheDescriptorsAndAtLeast256ForEverythingElse() {
        assertEquals(16_000, DescriptorBudget.capFor(OptionalLong.of(20_000)));
        assertEquals(1024 - 256, DescriptorBudget.capFor(OptionalLong.of(1024)));
        assertEquals(DescriptorBudget.MIN_CONNECTIONS, DescriptorBudget.capFor(OptionalLong.of(100)));
        assertEquals(DescriptorBudget.FALLBACK_MAX_CONNECTIONS, DescriptorBudget.capFor(OptionalLong.empty()));
    }

    @Test
    void thisJvmReportsItsLimitOnLinux() {
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertTrue(DescriptorBudget.maxDescriptors().isPresent());
            assertTrue(DescriptorBudget.defaultMaxConnections() < DescriptorBudget.maxDescriptors().getAsLong());
        }
    }
}
