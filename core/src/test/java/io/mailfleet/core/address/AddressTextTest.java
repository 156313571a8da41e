package io.mailfleet.core.address;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressTextTest {

    @Test
    void replacementCharactersControlsSpacesAndLoneSurrogatesAreRefused() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> AddressText.requireWellFormed("\uFFFD\uFFFD@example.test"));
        assertEquals("'\\u{FFFD}\\u{FFFD}@example.test' is not valid UTF-8 (it contains U+FFFD, the replacement for"
                + " undecodable bytes)", e.getMessage());
        for (String bad : new String[] {"a\u0000b@example.test", "a\u0085@example.test", "a\u00a0b@example.test",
                "a\u2028@example.test", "\ud800x@example.test", "x\udc00@example.test", "a\uffff@example.test",
                "a@exa\uFFFDmple.test"}) {
            assertThrows(InvalidAddressException.class, () -> AddressText.requireWellFormed(bad), bad);
        }
    }

    @Test
    void ordinaryAndInternationalNamesPass() {
        for (String good : new String[] {"alice@example.test", "jörg@bücher.example", "用户@例子.测试",
                "a+tag@example.test", "\"quoted\"@example.test", "emoji\ud83d\ude00@example.test", "@example.test"}) {
            assertDoesNotThrow(() -> AddressText.requireWellFormed(good), good);
        }
    }
}
