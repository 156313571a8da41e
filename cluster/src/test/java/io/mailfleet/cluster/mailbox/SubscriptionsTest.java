package io.mailfleet.cluster.mailbox;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subscriptions outlive DELETE (RFC 3501 §6.3.6), also across a snapshot. */
class SubscriptionsTest {

    @Test
    void aDeletedSubscribedFolderStaysSubscribedAndReturnsSubscribed() {
        MailboxState s = new MailboxState();
        s.createFolder("INBOX", 1, null, true);
        s.createFolder("Kept", 2, null, false);
        s.subscribe("Kept", true);
        s.createFolder("Plain", 3, null, false);
        s.deleteFolder("Kept");
        s.deleteFolder("Plain");
        assertEquals(List.of("Kept"), List.copyOf(s.subscriptionsWithoutFolder()));

        MailboxState restored = MailboxState.fromSnapshot(s.toSnapshot());
        assertEquals(List.of("Kept"), List.copyOf(restored.subscriptionsWithoutFolder()));
        restored.createFolder("Kept", 4, null, false);
        assertTrue(restored.folder("Kept").subscribed());
        assertTrue(restored.subscriptionsWithoutFolder().isEmpty());

        s.subscribe("Kept", false);
        assertTrue(s.subscriptionsWithoutFolder().isEmpty());
        s.createFolder("Plain", 5, null, false);
        assertFalse(s.folder("Plain").subscribed());
    }
}
