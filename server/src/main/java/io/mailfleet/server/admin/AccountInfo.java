package io.mailfleet.server.admin;

import java.util.List;
import java.util.Optional;

/** One line of {@code email list}: the account, its quota usage (when quotas are enabled) and the aliases pointing at it. */
public record AccountInfo(String address, Optional<QuotaUsage> quota, List<String> aliases) {

    public AccountInfo {
        aliases = List.copyOf(aliases);
    }
}
