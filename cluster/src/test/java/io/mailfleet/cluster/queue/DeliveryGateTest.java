package io.mailfleet.cluster.queue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partition's bound on local deliveries in flight, per mailbox and in all. */
class DeliveryGateTest {

    @Test
    void aMailboxGetsAtMostItsShareAndWaitersComeBackOldestFirst() {
        DeliveryGate gate = new DeliveryGate(2, 3);
        assertTrue(gate.tryAcquire("a#0", "hot"));
        assertTrue(gate.tryAcquire("b#0", "hot"));
        assertFalse(gate.tryAcquire("c#0", "hot"), "third to the same mailbox waits");
        assertFalse(gate.tryAcquire("d#0", "hot"));
        assertTrue(gate.tryAcquire("e#0", "cold"), "another mailbox still has room");
        assertFalse(gate.tryAcquire("f#0", "other"), "the partition's total is reached");
        assertTrue(gate.tryAcquire("a#0", "hot"), "a holder asking again keeps its slot");
        assertEquals(List.of(), gate.admissible());

        gate.release("a#0");
        assertEquals(List.of("c#0"), gate.admissible(), "one slot: the oldest waiter of the mailbox that has room");
        assertTrue(gate.tryAcquire("c#0", "hot"));
        assertEquals(2, gate.waiting());

        assertTrue(gate.release("e#0"));
        assertEquals(List.of("f#0"), gate.admissible(), "hot is full; the other mailbox may go");
        assertFalse(gate.release("e#0"), "releasing twice frees nothing more");
        assertEquals(2, gate.inFlight());
    }

    @Test
    void forgottenWaitersAreNotAdmittedAndMessagesFindTheirHolders() {
        DeliveryGate gate = new DeliveryGate(1, 4);
        assertTrue(gate.tryAcquire("q1#0", "hot"));
        assertTrue(gate.tryAcquire("q1#1", "cold"));
        assertFalse(gate.tryAcquire("q2#0", "hot"));
        gate.forget("q2#0");
        gate.release("q1#0");
        assertEquals(List.of(), gate.admissible());
        assertEquals(List.of("q1#1"), gate.holdersOf("q1"));
        assertEquals(List.of(), gate.holdersOf("q"));
    }

    @Test
    void boundsMustMakeSense() {
        assertThrows(IllegalArgumentException.class, () -> new DeliveryGate(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DeliveryGate(4, 2));
    }
}
