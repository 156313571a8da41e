package io.mailfleet.server.web;

import java.time.Instant;
import java.util.Optional;

/**
 * Who a browser is logged in as: an administrator (the API token's {@code admin}, or one of
 * {@code mailfleet.web.admin-accounts}) and/or the owner of one mail account.
 *
 * @param admin   may use the admin pages
 * @param account the mail account logged in, empty for the token's {@code admin}
 * @param expires when the login ends
 * @param nonce   random per login; the CSRF token of the session's forms is derived from it
 */
public record WebSession(boolean admin, Optional<String> account, Instant expires, String nonce) {

    /** Whether this session may see the self-service pages of {@code key} (only its own). */
    public boolean owns(String key) {
        return account.isPresent() && account.get().equals(key);
    }

    /** The name the page header shows. */
    public String displayName() {
        return account.orElse("admin");
    }
}
