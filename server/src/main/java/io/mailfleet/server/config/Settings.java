package io.mailfleet.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The validated, typed Mailfleet settings.
 *
 * @param domainName     the mail domain: the hostname minus its first label (the hostname itself
 *                       when it has fewer than three labels)
 * @param passwordScheme the scheme for new password hashes, e.g. {@code SHA512-CRYPT}
 * @param logLevel       error, warn, info, debug or trace
 * @param limits         header limits at acceptance and the heavy-command gate
 * @param sieve          Sieve at delivery and the script quota
 * @param outbound       MX lookup, retries, relays, DKIM keys and SRS (except whether SRS is on)
 * @param queuePartitions {@code mailfleet.queue.partitions}, fixed for the life of the cluster's data
 * @param postscreen     the pregreet test of port 25
 * @param listen         the bind address of the SMTP and of the other listeners (inet protocols)
 */
public record Settings(String hostname,
                       String domainName,
                       String postmasterAddress,
                       Path dataDir,
                       Optional<Path> dmsConfigDir,
                       String bindAddress,
                       int portOffset,
                       SmtpSettings smtp,
                       ImapSettings imap,
                       Pop3Settings pop3,
                       ManageSieveSettings manageSieve,
                       QuotaSettings quotas,
                       TlsSettings tls,
                       SpamSettings spam,
                       boolean srsEnabled,
                       String passwordScheme,
                       ManagementSettings management,
                       ClusterSettings cluster,
                       String logLevel,
                       LimitSettings limits,
                       SieveSettings sieve,
                       Fail2banSettings fail2ban,
                       ProxyProtocolSettings proxyProtocol,
                       ConnectionLimitSettings connections,
                       LoginSettings login,
                       BlobGcSettings blobGc,
                       OutboundConfig outbound,
                       SessionSettings sessions,
                       int queuePartitions,
                       GreylistSettings greylist,
                       RateLimitSettings rateLimits,
                       io.mailfleet.protocols.smtp.postscreen.PostscreenSettings postscreen,
                       ListenAddresses listen) {
}
