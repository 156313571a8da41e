package io.mailfleet.core.directory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaSizeTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "0B, 0",
        "1B, 1",
        "1500B, 1500",
        "1k, 1024",
        "10M, 10485760",
        "2G, 2147483648",
        "1T, 1099511627776",
        "' 5M ', 5242880",
        "8388607T, 9223370937343148032",
    })
    void parsesDmsUnitsAsBinary(String in, long bytes) {
        assertEquals(bytes, QuotaSize.parse(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "M", "10", "10m", "10K", "1.5G", "-1M", "10MB", "10 M", "00", "0x10M", "1E"})
    void rejectsWhatSetupRejects(String in) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuotaSize.parse(in));
        assertTrue(e.getMessage().startsWith("Invalid quota format"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + in + "'"), e.getMessage());
        assertFalse(QuotaSize.isValid(in));
    }

    @Test
    void rejectsNullAndOverflow() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QuotaSize.parse(null))
                .getMessage().startsWith("Invalid quota format"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuotaSize.parse("8388608T"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuotaSize.parse("99999999999999999999B"));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 1B",
        "1023, 1023B",
        "1024, 1k",
        "1536, 1536B",
        "1572864, 1536k",
        "10485760, 10M",
        "1073741824, 1G",
        "1099511627776, 1T",
        "1125899906842624, 1024T",
    })
    void formatsShortestExactForm(long bytes, String text) {
        assertEquals(text, QuotaSize.format(bytes));
        assertEquals(bytes, QuotaSize.parse(text));
    }

    @Test
    void formatRejectsNegative() {
        assertThrows(IllegalArgumentException.class, () -> QuotaSize.format(-1));
    }

    @Test
    void parsesPlainByteCounts() {
        assertEquals(10240000, QuotaSize.parseByteCount("10240000"));
        assertEquals(0, QuotaSize.parseByteCount(""));
        assertEquals(0, QuotaSize.parseByteCount(null));
        assertEquals(0, QuotaSize.parseByteCount("0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuotaSize.parseByteCount("10M"));
        assertTrue(e.getMessage().contains("'10M'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuotaSize.parseByteCount("-5"));
        assertThrows(IllegalArgumentException.class, () -> QuotaSize.parseByteCount("99999999999999999999"));
    }
}
