package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.core.address.MailAddress;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.LocalTarget;
import io.mailfleet.core.directory.RecipientResolver;
import io.mailfleet.core.directory.Resolution;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.srs.SrsException;
import io.mailfleet.protocols.smtp.MailboxUsage;
import io.mailfleet.protocols.smtp.SmtpReply;

import java.util.List;
import java.util.Locale;

/**
 * Sender and recipient decisions at MAIL and RCPT, with docker-mailserver's (Postfix's) replies:
 * send/receive restrictions, spoof protection, relay control, unknown users and quota.
 * Pure logic over a {@link DirectoryView}; never blocks.
 */
public final class SmtpPolicy {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.mailfleet.smtp");

    private static final SmtpReply SENDER_OK = new SmtpReply(250, "2.1.0", "Ok");
    private static final SmtpReply RCPT_OK = new SmtpReply(250, "2.1.5", "Ok");

    private final ResolverOptions options;
    private final boolean spoofProtection;
    private final boolean quotasEnabled;
    private final long defaultQuota;
    private final MailboxUsage usage;
    private final SrsBounces srsBounces;

    /**
     * @param options         recipient delimiter and postmaster address for alias resolution
     * @param spoofProtection {@code SPOOF_PROTECTION=1}
     * @param quotasEnabled   whether usage is compared with quotas at RCPT
     * @param defaultQuota    quota for accounts without their own, bytes (0 = unlimited)
     * @param usage           current mailbox usage
     */
    public SmtpPolicy(ResolverOptions options, boolean spoofProtection, boolean quotasEnabled, long defaultQuota,
                      MailboxUsage usage) {
        this(options, spoofProtection, quotasEnabled, defaultQuota, usage, SrsBounces.disabled());
    }

    /** As above, accepting bounces to our SRS addresses when they verify. */
    public SmtpPolicy(ResolverOptions options, boolean spoofProtection, boolean quotasEnabled, long defaultQuota,
                      MailboxUsage usage, SrsBounces srsBounces) {
        this.srsBounces = srsBounces;
        this.options = options;
        this.spoofProtection = spoofProtection;
        this.quotasEnabled = quotasEnabled;
        this.defaultQuota = defaultQuota;
        this.usage = usage;
    }

    /**
     * Checks the envelope sender.
     *
     * @param sender the reverse-path, empty for the null sender
     * @param login  the authenticated account, or null
     */
    public PolicyDecision checkSender(DirectoryView view, String sender, String login) {
        if (sender.isEmpty()) {
            return PolicyDecision.accept(SENDER_OK, "null sender", List.of());
        }
        MailAddress addr = MailAddress.parse(sender);
        String key = addr.key();
        if (view.isSendDenied(key) || view.isSendDenied(addr.withoutDetail(options.recipientDelimiter()).key())) {
            return PolicyDecision.reject(554, "5.7.1", "<" + sender + ">: Sender address rejected: Access denied",
                    "send restriction");
        }
        if (spoofProtection && login != null && !owns(view, addr, login.toLowerCase(Locale.ROOT))) {
            return PolicyDecision.reject(553, "5.7.1", "<" + sender + ">: Sender address rejected: not owned by user "
                    + login, "spoof protection");
        }
        return PolicyDecision.accept(SENDER_OK, "sender ok", List.of());
    }

    /** Own address, or an alias (not a subaddress) that resolves to the login's account. */
    private boolean owns(DirectoryView view, MailAddress sender, String login) {
        if (sender.key().equals(login)) {
            return true;
        }
        if (sender.detail(options.recipientDelimiter()).isPresent()) {
            return false; // docker-mailserver: user+tag@ senders are not owned by anyone
        }
        java.util.Optional<java.util.Set<String>> external = view.senderLogins(sender.key());
        if (external.isPresent()) {
            return external.get().contains(login); // LDAP_QUERY_FILTER_SENDERS decides (docker-mailserver with LDAP)
        }
        Resolution r = RecipientResolver.resolve(view, sender.key(), options);
        return r.localAccounts().stream().anyMatch(t -> t.account().equals(login));
    }

    /**
     * Checks one recipient.
     *
     * @param rcpt          the forward-path as the client gave it
     * @param relayAllowed  the client is authenticated or in a trusted network
     */
    public PolicyDecision checkRecipient(DirectoryView view, String rcpt, boolean relayAllowed) {
        return checkRecipient(view, rcpt, relayAllowed, 0);
    }

    /**
     * As above, with the message size declared at MAIL FROM ({@code SIZE=}, 0 when none) counted against
     * each local account's quota with docker-mailserver's grace ({@link QuotaRule}).
     */
    public PolicyDecision checkRecipient(DirectoryView view, String rcpt, boolean relayAllowed, long declaredSize) {
        Resolution r = RecipientResolver.resolve(view, rcpt, options);
        if ((r.unknown() || r.foreignDomain()) && srsBounces.applies(rcpt)) {
            return srsBounce(rcpt);
        }
        if (r.foreignDomain()) {
            if (relayAllowed) {
                return PolicyDecision.accept(RCPT_OK, "relay", List.of());
            }
            return PolicyDecision.reject(554, "5.7.1", "<" + rcpt + ">: Relay access denied", "relay denied");
        }
        if (r.loopDetected()) {
            return PolicyDecision.reject(550, "5.4.6", "<" + rcpt + ">: Recipient address rejected: mail forwarding loop",
                    "alias loop");
        }
        if (r.unknown() || !r.deliverable()) {
            return PolicyDecision.reject(550, "5.1.1", "<" + rcpt
                    + ">: Recipient address rejected: User unknown in virtual mailbox table", "unknown user");
        }
        MailAddress addr = MailAddress.parse(rcpt);
        if (view.isReceiveDenied(addr.key()) || view.isReceiveDenied(addr.withoutDetail(options.recipientDelimiter()).key())) {
            return PolicyDecision.reject(554, "5.7.1", "<" + rcpt + ">: Recipient address rejected: Access denied",
                    "receive restriction");
        }
        List<String> accounts = r.localAccounts().stream().map(LocalTarget::account).distinct().toList();
        String full = overQuota(view, accounts, Math.max(0, declaredSize));
        if (full != null) {
            return PolicyDecision.reject(552, "5.2.2", "Mailbox is full", "over quota: " + full
                    + (declaredSize > 0 ? " (SIZE=" + declaredSize + ")" : ""));
        }
        return PolicyDecision.accept(RCPT_OK, "local", accounts);
    }

    /**
     * The first of {@code accounts} whose quota {@code size} more bytes would exceed (beyond the grace), or
     * null when they fit or quotas are off. At the end of data this is asked with the real size.
     */
    public String overQuota(DirectoryView view, Iterable<String> accounts, long size) {
        if (!quotasEnabled) {
            return null;
        }
        for (String account : accounts) {
            long quota = view.effectiveQuota(account, defaultQuota);
            if (!QuotaRule.fits(quota, usage.usedBytes(account), size)) {
                return account;
            }
        }
        return null;
    }

    /**
     * RFC 5321 §4.5.1: {@code RCPT TO:<postmaster>} without a domain must be accepted. It goes to
     * {@code postmasterAddress} (POSTMASTER_ADDRESS), local or remote: the operator chose that address, so it
     * is no relay. When that address takes no mail (no account, alias or catch-all) the sender gets a
     * temporary failure, not a permanent "user unknown", and the operator a warning naming the setting.
     */
    public PolicyDecision checkPostmaster(DirectoryView view, String postmasterAddress) {
        PolicyDecision d = checkRecipient(view, postmasterAddress, true);
        if (d.accepted() || d.reply().code() != 550) {
            return d;
        }
        LOG.warn("RCPT TO:<postmaster> deferred: POSTMASTER_ADDRESS (mailfleet.postmaster-address) {} takes no mail ({});"
                + " create that account or an alias for it", postmasterAddress, d.reason());
        return PolicyDecision.reject(451, "4.3.0", "<postmaster>: Recipient address temporarily unavailable: postmaster mailbox"
                + " not set up", "postmaster address " + postmasterAddress + " takes no mail: " + d.reason());
    }

    /**
     * A bounce to one of our SRS addresses: accepted without a local mailbox (the queue sends it on to
     * the original sender) when the hash and age verify; otherwise refused as Postfix does when
     * postsrsd cannot reverse the address.
     */
    private PolicyDecision srsBounce(String rcpt) {
        try {
            String original = srsBounces.original(rcpt);
            return PolicyDecision.accept(RCPT_OK, "srs bounce for " + original, List.of());
        } catch (SrsException e) {
            return PolicyDecision.reject(550, "5.1.1", "<" + rcpt
                    + ">: Recipient address rejected: User unknown in virtual mailbox table", "invalid SRS: " + e.getMessage());
        }
    }
}
