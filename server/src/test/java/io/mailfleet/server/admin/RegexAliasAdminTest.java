package io.mailfleet.server.admin;

import io.mailfleet.core.directory.RegexAlias;
import io.mailfleet.core.directory.RegexAliasPattern;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An entry is accepted exactly when postfix-regexp.cf's parser would load its line. */
class RegexAliasAdminTest {

    @Test
    void aGoodEntryIsReadAsTheFileReadsIt() {
        assertEquals(new RegexAlias("/^sales-(.*)@example\\.com$/i", List.of("alice@example.com", "$1@other.example")),
                RegexAliasAdmin.check(" /^sales-(.*)@example\\.com$/i ", "alice@example.com, $1@other.example"));
    }

    @Test
    void whatTheParserRefusesIsRefusedWithItsReason() {
        AdminException unclosed = assertThrows(AdminException.class, () -> RegexAliasAdmin.check("/^(a@b\\.c$/", "x@y.z"));
        assertEquals("invalid-regexp", unclosed.code());
        assertEquals(400, unclosed.httpStatus());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> RegexAliasPattern.compile("/^(a@b\\.c$/")).getMessage(),
                unclosed.getMessage(), "the compiler's own reason");
        assertEquals("No pattern specified", assertThrows(AdminException.class,
                () -> RegexAliasAdmin.check(" ", "x@y.z")).getMessage());
        assertEquals("No target specified", assertThrows(AdminException.class,
                () -> RegexAliasAdmin.check("/a/", "")).getMessage());
        assertEquals("invalid-regexp", assertThrows(AdminException.class,
                () -> RegexAliasAdmin.check("/a/ /b/", "x@y.z")).code(), "one pattern, no second word");
        assertEquals("invalid-regexp", assertThrows(AdminException.class,
                () -> RegexAliasAdmin.check("/a/", "x@y.z\n/b/ evil@example.com")).code(), "one line only");
        assertEquals("invalid-regexp", assertThrows(AdminException.class,
                () -> RegexAliasAdmin.check("/a/", "$2@example.com")).code(), "a group the pattern does not have");
    }
}
