package io.mailfleet.core.directory;

import java.util.Objects;

/**
 * A local mailbox that receives a copy: the account key and the subaddress detail to keep
 * ({@code tag} of {@code user+tag@example.com}, without the delimiter), or {@code null}.
 */
public record LocalTarget(String account, String detail) {
    public LocalTarget {
        Objects.requireNonNull(account, "account");
    }

    /** The address as the mailbox sees it, e.g. {@code user+tag@example.com} for delimiter {@code +}. */
    public String addressWithDetail(char delimiter) {
        if (detail == null) {
            return account;
        }
        int at = account.lastIndexOf('@');
        return account.substring(0, at) + delimiter + detail + account.substring(at);
    }
}
