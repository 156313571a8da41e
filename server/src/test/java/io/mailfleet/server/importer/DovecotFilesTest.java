package io.mailfleet.server.importer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DovecotUidList} and {@link DovecotSubscriptions} on the formats Dovecot writes, and broken ones. */
class DovecotFilesTest {

    @Test
    void version3WithAndWithoutExtensionFields() {
        DovecotUidList l = DovecotUidList.parse(List.of(
                "3 V1276528487 N8 G3085f01b7f11094c501100008c4a11c1",
                "1 :1276528487.M364837P9451.kurkku,S=1355,W=1394:2,S",
                "2 W2000 S1900 :1276528488.M1P2.host",
                "5 G3085f01b7f11094c501100008c4a11c1 :1276528489.M2P3.host,S=10"));
        assertEquals(1276528487L, l.uidValidity());
        assertEquals(8, l.nextUid());
        assertEquals(1, l.uid("1276528487.M364837P9451.kurkku,S=1355,W=1394"));
        assertEquals(2, l.uid("1276528488.M1P2.host"));
        assertEquals(5, l.uid("1276528489.M2P3.host,S=10"));
        assertEquals(0, l.uid("unknown"));
        assertTrue(l.problems().isEmpty(), l.problems().toString());
    }

    @Test
    void version1AndAStaleNextUid() {
        DovecotUidList l = DovecotUidList.parse(List.of("1 1100000000 2", "1 100.M1.host", "7 101.M2.host:2,RS"));
        assertEquals(1100000000L, l.uidValidity());
        assertEquals(8, l.nextUid(), "one above the highest listed uid when the header lags");
        assertEquals(7, l.uid("101.M2.host"));
    }

    @Test
    void brokenLinesAreReportedAndOnlyTheirMessagesLoseTheirUids() {
        DovecotUidList l = DovecotUidList.parse(List.of(
                "3 V42 N10",
                "1 :a.host",
                "1 :b.host",
                "x :c.host",
                "3 W10",
                "4 :d.host",
                "6 :d.host",
                "9 :e.host"));
        assertEquals(1, l.uid("a.host"));
        assertEquals(0, l.uid("b.host"));
        assertEquals(0, l.uid("d.host"), "a file listed twice keeps neither uid");
        assertEquals(9, l.uid("e.host"));
        assertEquals(List.of(
                "line 3: uid 1 is not above the uid before it (1); b.host gets a new uid",
                "line 4: unreadable ('x :c.host')",
                "line 5: unreadable ('3 W10')",
                "line 7: d.host is listed twice; it gets a new uid"), l.problems());
    }

    @Test
    void anUnreadableHeaderKeepsNoUid() {
        DovecotUidList l = DovecotUidList.parse(List.of("garbage", "1 :a.host"));
        assertEquals(0, l.uidValidity());
        assertEquals(0, l.uid("a.host"));
        assertEquals(1, l.problems().size());
        assertEquals(0, DovecotUidList.parse(List.of()).uidValidity());
        assertEquals(0, DovecotUidList.parse(List.of("3 V0 N1")).uidValidity());
        assertEquals(0, DovecotUidList.parse(List.of("3 V99999999999 N1")).uidValidity());
    }

    @Test
    void subscriptionsInBothFormats() {
        assertEquals(List.of("Lists/Foo", "INBOX", "Été"),
                DovecotSubscriptions.parse(List.of("V\t2", "", "Lists\tFoo", "inbox", "Été", "Lists\tFoo"), '/'));
        assertEquals(List.of("Lists/Foo", "Sent"), DovecotSubscriptions.parse(List.of("Lists/Foo", "", "Sent"), '/'));
    }
}
