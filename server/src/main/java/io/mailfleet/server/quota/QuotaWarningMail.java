package io.mailfleet.server.quota;

import io.mailfleet.cluster.quota.QuotaWatcher;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.server.config.QuotaWarningSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The warning mail of one crossing, from {@code POSTMASTER_ADDRESS} to the account, written to the blob
 * store (on the blocking executor) and queued like any accepted message, so it goes through the
 * account's Sieve and lands in its mailbox the normal way.
 */
public final class QuotaWarningMail implements QuotaWatcher.WarningSender {

    private final QuotaWarningSettings settings;
    private final String postmaster;
    private final String hostname;
    private final BlobStore blobs;
    private final MailQueue queue;
    private final Executor blocking;

    public QuotaWarningMail(QuotaWarningSettings settings, String postmaster, String hostname, BlobStore blobs,
                            MailQueue queue, Executor blocking) {
        this.settings = settings;
        this.postmaster = postmaster;
        this.hostname = hostname;
        this.blobs = blobs;
        this.queue = queue;
        this.blocking = blocking;
    }

    @Override
    public CompletionStage<String> send(String account, int percent, long usedBytes, long quotaBytes) {
        byte[] message = render(settings.level(percent), account, percent, usedBytes, quotaBytes);
        return CompletableFuture.supplyAsync(() -> store(message), blocking)
                .thenCompose(ref -> queue.enqueue(new Envelope(postmaster, List.of(EnvelopeRecipient.of(account)),
                        hostname, "127.0.0.1", null, false, null, null, "8BITMIME", false, Instant.now()), ref));
    }

    /** The RFC 5322 message of a warning. */
    byte[] render(QuotaWarningSettings.Level level, String account, int percent, long used, long quota) {
        String subject = fill(level.subject(), account, percent, used, quota);
        String text = fill(level.text(), account, percent, used, quota).replace("\r\n", "\n").replace("\n", "\r\n");
        String m = "From: <" + postmaster + ">\r\n"
                + "To: <" + account + ">\r\n"
                + "Subject: " + encodeWord(subject) + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <quota-" + UUID.randomUUID() + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + text + (text.endsWith("\r\n") ? "" : "\r\n");
        return m.getBytes(StandardCharsets.UTF_8);
    }

    private static String fill(String template, String account, int percent, long used, long quota) {
        return template.replace("{percent}", Integer.toString(percent)).replace("{account}", account)
                .replace("{used}", Long.toString(used)).replace("{quota}", Long.toString(quota));
    }

    /** RFC 2047 for a subject that is not plain ASCII. */
    private static String encodeWord(String s) {
        if (s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return s;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private BlobRef store(byte[] message) {
        try (BlobWriter w = blobs.create()) {
            w.write(message, 0, message.length);
            return w.commit().toCompletableFuture().join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
