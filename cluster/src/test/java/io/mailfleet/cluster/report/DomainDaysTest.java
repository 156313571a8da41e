package io.mailfleet.cluster.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Domain-day tallies: one per domain and UTC day, taken in day order up to a day, bounded in number. */
class DomainDaysTest {

    private static final long DAY1 = 1_796_000_000_000L; // 2026-11-30
    private static final long DAY2 = DAY1 + 86_400_000L;

    @Test
    void talliesAreTakenInDayOrderUpToTheGivenDay() {
        DomainDays<StringBuilder> days = new DomainDays<>(10);
        days.tally("b.example", DAY1, StringBuilder::new).append("b1");
        days.tally("a.example", DAY2, StringBuilder::new).append("a2");
        StringBuilder a1 = days.tally("a.example", DAY1, StringBuilder::new).append("a1");
        assertSame(a1, days.tally("a.example", DAY1 + 3_600_000L, StringBuilder::new), "same UTC day, same tally");
        assertEquals(List.of("2026-11-30 a.example a1", "2026-11-30 b.example b1"),
                days.takeUpTo(DomainDays.day(DAY1), (domain, day, t) -> day + " " + domain + " " + t));
        assertEquals(1, days.size());
        assertEquals(List.of("a.example a2"), days.takeUpTo(DomainDays.day(DAY2), (domain, day, t) -> domain + " " + t));
        assertEquals(0, days.size());
    }

    @Test
    void noNewDomainDayBeyondTheBoundAndNoneFromANullSupplier() {
        DomainDays<StringBuilder> days = new DomainDays<>(1);
        StringBuilder first = days.tally("a.example", DAY1, StringBuilder::new);
        assertNull(days.tally("b.example", DAY1, StringBuilder::new), "bound reached");
        assertSame(first, days.tally("a.example", DAY1, StringBuilder::new), "an open one is still counted");
        assertNull(new DomainDays<StringBuilder>(5).tally("c.example", DAY1, () -> null));
    }
}
