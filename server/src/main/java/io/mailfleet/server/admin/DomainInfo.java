package io.mailfleet.server.admin;

/** A local domain with its number of accounts and aliases. */
public record DomainInfo(String domain, int accounts, int aliases) {
}
