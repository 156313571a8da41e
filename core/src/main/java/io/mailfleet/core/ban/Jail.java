package io.mailfleet.core.ban;

import java.util.Locale;

/** docker-mailserver's Fail2ban jails, kept so operators see the same names in listings. */
public enum Jail {
    /** IMAP, POP3, ManageSieve and web UI authentication failures. */
    DOVECOT("dovecot"),
    /** SMTP protocol abuse (docker-mailserver's {@code postfix} jail in mode {@code extra}). */
    POSTFIX("postfix"),
    /** SMTP AUTH failures. */
    POSTFIX_SASL("postfix-sasl"),
    /** Manual bans. */
    CUSTOM("custom");

    private final String jailName;

    Jail(String jailName) {
        this.jailName = jailName;
    }

    /** The name docker-mailserver uses ({@code postfix-sasl}, ...). */
    public String jailName() {
        return jailName;
    }

    /**
     * The jail counting failures of a protocol: {@code smtp} (AUTH) → postfix-sasl; {@code imap},
     * {@code pop3}, {@code managesieve}, {@code web} (the web UI login) → dovecot; {@code smtp-protocol} (abuse) → postfix.
     *
     * @throws IllegalArgumentException for any other protocol name
     */
    public static Jail forProtocol(String protocol) {
        String p = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
        return switch (p) {
            case "smtp", "submission", "submissions" -> POSTFIX_SASL;
            case "imap", "pop3", "managesieve", "sieve", "web" -> DOVECOT;
            case "smtp-protocol", "postfix" -> POSTFIX;
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol
                    + "' for the ban list (smtp, smtp-protocol, imap, pop3 or managesieve)");
        };
    }

    /** The jail with this docker-mailserver name. */
    public static Jail byName(String name) {
        for (Jail j : values()) {
            if (j.jailName.equalsIgnoreCase(name)) {
                return j;
            }
        }
        throw new IllegalArgumentException("unknown jail '" + name + "' (dovecot, postfix, postfix-sasl or custom)");
    }
}
