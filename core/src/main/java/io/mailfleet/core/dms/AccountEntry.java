package io.mailfleet.core.dms;

/**
 * One line of {@code postfix-accounts.cf}: {@code address|{SCHEME}hash[|attributes]}.
 *
 * @param attributes the Dovecot user_attributes field, or {@code null} when absent
 */
public record AccountEntry(String address, String passwordHash, String attributes) {
}
