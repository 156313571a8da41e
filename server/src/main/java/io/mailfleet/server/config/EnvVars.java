package io.mailfleet.server.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The environment variables Mailfleet reads and the configuration key each one sets. */
public final class EnvVars {

    /** Variables whose value is a comma-separated list. */
    static final Set<String> LIST_VARS = Set.of("TRUSTED_NETWORKS", "MAILFLEET_SEED_NODES");

    private static final Map<String, String> TO_KEY = new LinkedHashMap<>();

    static {
        TO_KEY.put("OVERRIDE_HOSTNAME", "mailfleet.hostname");
        TO_KEY.put("POSTMASTER_ADDRESS", "mailfleet.postmaster-address");
        TO_KEY.put("MAILFLEET_DATA", "mailfleet.data-dir");
        TO_KEY.put("DMS_CONFIG_DIR", "mailfleet.dms-config-dir");
        TO_KEY.put("MAILFLEET_BIND_ADDRESS", "mailfleet.bind-address");
        TO_KEY.put("MAILFLEET_PORT_OFFSET", "mailfleet.port-offset");
        TO_KEY.put("MAILFLEET_SMTP_PORT", "mailfleet.smtp.port");
        TO_KEY.put("MAILFLEET_SUBMISSION_PORT", "mailfleet.smtp.submission-port");
        TO_KEY.put("MAILFLEET_SUBMISSIONS_PORT", "mailfleet.smtp.submissions-port");
        TO_KEY.put("POSTFIX_MESSAGE_SIZE_LIMIT", "mailfleet.smtp.message-size-limit");
        TO_KEY.put("MAILFLEET_MAX_RECIPIENTS", "mailfleet.smtp.max-recipients");
        TO_KEY.put("MAILFLEET_SMTP_CLIENT_CONNECTION_LIMIT", "mailfleet.smtp.client-connection-limit");
        TO_KEY.put("MAILFLEET_SMTPUTF8", "mailfleet.smtp.smtputf8");
        TO_KEY.put("MAILFLEET_BARE_NEWLINE", "mailfleet.smtp.bare-newline");
        TO_KEY.put("SPOOF_PROTECTION", "mailfleet.smtp.spoof-protection");
        TO_KEY.put("TRUSTED_NETWORKS", "mailfleet.smtp.trusted-networks");
        TO_KEY.put("PERMIT_DOCKER", "mailfleet.smtp.permit-docker");
        TO_KEY.put("MAILFLEET_RECIPIENT_DELIMITER", "mailfleet.smtp.recipient-delimiter");
        TO_KEY.put("MAILFLEET_SMTP_IDLE_TIMEOUT", "mailfleet.smtp.idle-timeout");
        TO_KEY.put("MAILFLEET_SMTP_HARD_ERROR_LIMIT", "mailfleet.smtp.hard-error-limit");
        TO_KEY.put("POSTFIX_INET_PROTOCOLS", "mailfleet.smtp.inet-protocols");
        TO_KEY.put("DOVECOT_INET_PROTOCOLS", "mailfleet.inet-protocols");
        TO_KEY.put("MAILFLEET_POSTSCREEN", "mailfleet.postscreen.enabled");
        TO_KEY.put("POSTSCREEN_ACTION", "mailfleet.postscreen.action");
        TO_KEY.put("MAILFLEET_POSTSCREEN_GREET_WAIT", "mailfleet.postscreen.greet-wait");
        TO_KEY.put("MAILFLEET_POSTSCREEN_PASS_TTL", "mailfleet.postscreen.pass-ttl");
        TO_KEY.put("MAILFLEET_PRE_LOGIN_CONNECTIONS_PER_ADDRESS", "mailfleet.connections.pre-login-per-address");
        TO_KEY.put("MAILFLEET_TLS_HANDSHAKES_PER_ADDRESS", "mailfleet.connections.tls-handshakes-per-address");
        TO_KEY.put("MAILFLEET_MAX_CONNECTIONS", "mailfleet.connections.max-connections");
        TO_KEY.put("MAILFLEET_LOGIN_TIMEOUT", "mailfleet.connections.login-timeout");
        TO_KEY.put("MAILFLEET_HEADER_SIZE_LIMIT", "mailfleet.limits.header-size");
        TO_KEY.put("MAILFLEET_HEADER_LINE_LIMIT", "mailfleet.limits.header-line-length");
        TO_KEY.put("MAILFLEET_HEAVY_COMMANDS_PER_USER", "mailfleet.limits.heavy-commands-per-user");
        TO_KEY.put("MAILFLEET_HEAVY_COMMANDS_PER_NODE", "mailfleet.limits.heavy-commands-per-node");
        TO_KEY.put("ENABLE_IMAP", "mailfleet.imap.enabled");
        TO_KEY.put("MAILFLEET_IMAP_PORT", "mailfleet.imap.port");
        TO_KEY.put("MAILFLEET_IMAPS_PORT", "mailfleet.imap.tls-port");
        TO_KEY.put("MAILFLEET_IMAP_MAX_USERIP_CONNECTIONS", "mailfleet.imap.max-userip-connections");
        TO_KEY.put("MAILFLEET_IMAP_AUTH_CACHE_TTL", "mailfleet.imap.auth-cache-ttl");
        TO_KEY.put("MAILFLEET_IMAP_UTF8_ACCEPT", "mailfleet.imap.utf8-accept");
        TO_KEY.put("ENABLE_POP3", "mailfleet.pop3.enabled");
        TO_KEY.put("MAILFLEET_POP3_PORT", "mailfleet.pop3.port");
        TO_KEY.put("MAILFLEET_POP3S_PORT", "mailfleet.pop3.tls-port");
        TO_KEY.put("MAILFLEET_POP3_MAX_USERIP_CONNECTIONS", "mailfleet.pop3.max-userip-connections");
        TO_KEY.put("ENABLE_MANAGESIEVE", "mailfleet.managesieve.enabled");
        TO_KEY.put("MAILFLEET_MANAGESIEVE_PORT", "mailfleet.managesieve.port");
        TO_KEY.put("ENABLE_QUOTAS", "mailfleet.quotas.enabled");
        TO_KEY.put("POSTFIX_MAILBOX_SIZE_LIMIT", "mailfleet.quotas.default-limit");
        TO_KEY.put("SSL_TYPE", "mailfleet.tls.type");
        TO_KEY.put("TLS_LEVEL", "mailfleet.tls.level");
        TO_KEY.put("SSL_CERT_PATH", "mailfleet.tls.cert-path");
        TO_KEY.put("SSL_KEY_PATH", "mailfleet.tls.key-path");
        TO_KEY.put("SSL_ALT_CERT_PATH", "mailfleet.tls.alt-cert-path");
        TO_KEY.put("SSL_ALT_KEY_PATH", "mailfleet.tls.alt-key-path");
        TO_KEY.put("SSL_DOMAIN", "mailfleet.tls.domain");
        TO_KEY.put("MAILFLEET_SIEVE", "mailfleet.sieve.enabled");
        TO_KEY.put("MOVE_SPAM_TO_JUNK", "mailfleet.spam.move-to-junk");
        TO_KEY.put("MARK_SPAM_AS_READ", "mailfleet.spam.mark-as-read");
        TO_KEY.put("SPAM_SUBJECT", "mailfleet.spam.subject");
        TO_KEY.put("ENABLE_SRS", "mailfleet.srs.enabled");
        TO_KEY.put("SRS_SECRET", "mailfleet.srs.secret");
        TO_KEY.put("SRS_EXCLUDE_DOMAINS", "mailfleet.srs.exclude-domains");
        TO_KEY.put("SRS_DOMAINNAME", "mailfleet.srs.domain");
        TO_KEY.put("DEFAULT_RELAY_HOST", "mailfleet.relay.default-relay-host");
        TO_KEY.put("RELAY_HOST", "mailfleet.relay.host");
        TO_KEY.put("RELAY_PORT", "mailfleet.relay.port");
        TO_KEY.put("RELAY_USER", "mailfleet.relay.user");
        TO_KEY.put("RELAY_PASSWORD", "mailfleet.relay.password");
        TO_KEY.put("MAILFLEET_DNS_SERVER", "mailfleet.outbound.dns-server");
        TO_KEY.put("ENABLE_POLICYD_SPF", "mailfleet.spf.enabled");
        TO_KEY.put("MAILFLEET_SPF_FAIL_ACTION", "mailfleet.spf.fail-action");
        TO_KEY.put("MAILFLEET_SPF_TEMPERROR_ACTION", "mailfleet.spf.temperror-action");
        TO_KEY.put("ENABLE_CLAMAV", "mailfleet.clamav.enabled");
        TO_KEY.put("CLAMAV_MESSAGE_SIZE_LIMIT", "mailfleet.clamav.message-size-limit");
        TO_KEY.put("MAILFLEET_CLAMAV_ADDRESS", "mailfleet.clamav.address");
        TO_KEY.put("ENABLE_SPAMASSASSIN", "mailfleet.spamassassin.enabled");
        TO_KEY.put("SA_TAG", "mailfleet.spamassassin.tag");
        TO_KEY.put("SA_TAG2", "mailfleet.spamassassin.tag2");
        TO_KEY.put("SA_KILL", "mailfleet.spamassassin.kill");
        TO_KEY.put("SPAMASSASSIN_SPAM_TO_INBOX", "mailfleet.spamassassin.spam-to-inbox");
        TO_KEY.put("MAILFLEET_SPAMD_ADDRESS", "mailfleet.spamassassin.address");
        TO_KEY.put("ENABLE_RSPAMD", "mailfleet.rspamd.enabled");
        TO_KEY.put("RSPAMD_CHECK_AUTHENTICATED", "mailfleet.rspamd.check-authenticated");
        TO_KEY.put("MAILFLEET_RSPAMD_URL", "mailfleet.rspamd.url");
        TO_KEY.put("MAILFLEET_RSPAMD_PASSWORD", "mailfleet.rspamd.password");
        TO_KEY.put("MAILFLEET_OUTBOUND_MX_PORT", "mailfleet.outbound.mx-port");
        TO_KEY.put("MAILFLEET_RETRY_FIRST", "mailfleet.outbound.retry-first");
        TO_KEY.put("MAILFLEET_RETRY_MAX", "mailfleet.outbound.retry-max");
        TO_KEY.put("MAILFLEET_QUEUE_LIFETIME", "mailfleet.outbound.queue-lifetime");
        TO_KEY.put("MAILFLEET_DELAY_WARNING", "mailfleet.outbound.delay-warning");
        TO_KEY.put("MAILFLEET_SMTP_CLIENT_TIMEOUT", "mailfleet.outbound.smtp-timeout");
        TO_KEY.put("MAILFLEET_OUTBOUND_TLS_LEVEL", "mailfleet.outbound.tls.level");
        TO_KEY.put("MAILFLEET_OUTBOUND_TLS_CA_FILE", "mailfleet.outbound.tls.ca-file");
        TO_KEY.put("MAILFLEET_DKIM_DIR", "mailfleet.dkim.dir");
        TO_KEY.put("ENABLE_POSTGREY", "mailfleet.greylist.enabled");
        TO_KEY.put("POSTGREY_DELAY", "mailfleet.greylist.delay");
        TO_KEY.put("POSTGREY_MAX_AGE", "mailfleet.greylist.max-age");
        TO_KEY.put("POSTGREY_TEXT", "mailfleet.greylist.text");
        TO_KEY.put("POSTGREY_AUTO_WHITELIST_CLIENTS", "mailfleet.greylist.auto-whitelist-clients");
        TO_KEY.put("ENABLE_FETCHMAIL", "mailfleet.fetchmail.enabled");
        TO_KEY.put("FETCHMAIL_POLL", "mailfleet.fetchmail.poll");
        TO_KEY.put("MAILFLEET_CLIENT_CONNECTION_RATE", "mailfleet.rate-limits.client-connections-per-minute");
        TO_KEY.put("MAILFLEET_CLIENT_MESSAGE_RATE", "mailfleet.rate-limits.client-messages-per-minute");
        TO_KEY.put("MAILFLEET_CLIENT_RECIPIENT_RATE", "mailfleet.rate-limits.client-recipients-per-minute");
        TO_KEY.put("MAILFLEET_USER_MESSAGES_PER_HOUR", "mailfleet.rate-limits.user-messages-per-hour");
        TO_KEY.put("MAILFLEET_USER_MESSAGES_PER_DAY", "mailfleet.rate-limits.user-messages-per-day");
        TO_KEY.put("MAILFLEET_USER_RECIPIENTS_PER_HOUR", "mailfleet.rate-limits.user-recipients-per-hour");
        TO_KEY.put("MAILFLEET_USER_RECIPIENTS_PER_DAY", "mailfleet.rate-limits.user-recipients-per-day");
        TO_KEY.put("ENABLE_FAIL2BAN", "mailfleet.fail2ban.enabled");
        TO_KEY.put("FAIL2BAN_BLOCKTYPE", "mailfleet.fail2ban.block-type");
        TO_KEY.put("MAILFLEET_LOGIN_MAX_FAILURES", "mailfleet.login.max-failures");
        TO_KEY.put("MAILFLEET_LOGIN_FAILURE_DELAY", "mailfleet.login.failure-delay");
        TO_KEY.put("MAILFLEET_PASSWORD_SCHEME", "mailfleet.passwords.scheme");
        TO_KEY.put("MAILFLEET_MANAGEMENT_BIND", "mailfleet.management.bind");
        TO_KEY.put("MAILFLEET_MANAGEMENT_PORT", "mailfleet.management.port");
        TO_KEY.put("MAILFLEET_API_TOKEN", "mailfleet.management.token");
        TO_KEY.put("MAILFLEET_CLUSTER_HOST", "mailfleet.cluster.host");
        TO_KEY.put("MAILFLEET_CLUSTER_PORT", "mailfleet.cluster.port");
        TO_KEY.put("MAILFLEET_SEED_NODES", "mailfleet.cluster.seed-nodes");
        TO_KEY.put("MAILFLEET_CLUSTER_MANAGEMENT_PORT", "mailfleet.cluster.management-port");
        TO_KEY.put("MAILFLEET_CLUSTER_DISCOVERY", "mailfleet.cluster.discovery");
        TO_KEY.put("MAILFLEET_CLUSTER_JOIN_TIMEOUT", "mailfleet.cluster.join-timeout");
        TO_KEY.put("MAILFLEET_CLUSTER_CREDENTIALS_DIR", "mailfleet.cluster.credentials-dir");
        TO_KEY.put("MAILFLEET_JOURNAL", "mailfleet.storage.journal");
        TO_KEY.put("MAILFLEET_POSTGRES_URL", "mailfleet.storage.postgres.url");
        TO_KEY.put("MAILFLEET_POSTGRES_USER", "mailfleet.storage.postgres.user");
        TO_KEY.put("MAILFLEET_POSTGRES_PASSWORD", "mailfleet.storage.postgres.password");
        TO_KEY.put("MAILFLEET_POSTGRES_MAX_CONNECTIONS", "mailfleet.storage.postgres.max-connections");
        TO_KEY.put("MAILFLEET_BLOBS", "mailfleet.storage.blobs");
        TO_KEY.put("MAILFLEET_BLOB_GC_INTERVAL", "mailfleet.storage.blob-gc.interval");
        TO_KEY.put("MAILFLEET_BLOB_GC_GRACE", "mailfleet.storage.blob-gc.grace");
        TO_KEY.put("MAILFLEET_SHARED_BLOB_DIR", "mailfleet.storage.shared-file.dir");
        TO_KEY.put("MAILFLEET_BLOB_NODE_SLOT", "mailfleet.storage.shared-file.node-slot");
        TO_KEY.put("MAILFLEET_S3_ENDPOINT", "mailfleet.storage.s3.endpoint");
        TO_KEY.put("MAILFLEET_S3_BUCKET", "mailfleet.storage.s3.bucket");
        TO_KEY.put("MAILFLEET_S3_REGION", "mailfleet.storage.s3.region");
        TO_KEY.put("MAILFLEET_S3_ACCESS_KEY", "mailfleet.storage.s3.access-key");
        TO_KEY.put("MAILFLEET_S3_SECRET_KEY", "mailfleet.storage.s3.secret-key");
        TO_KEY.put("MAILFLEET_S3_PATH_STYLE", "mailfleet.storage.s3.path-style");
        TO_KEY.put("LOG_LEVEL", "mailfleet.log-level");
    }

    private EnvVars() {
    }

    /** Variable name to configuration key, in documentation order. */
    public static Map<String, String> mapping() {
        return java.util.Collections.unmodifiableMap(TO_KEY);
    }
}
