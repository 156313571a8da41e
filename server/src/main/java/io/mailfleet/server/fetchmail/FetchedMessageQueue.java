package io.mailfleet.server.fetchmail;

import io.mailfleet.core.address.MailAddress;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.fetchmail.FetchmailSource;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.queue.MailQueue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands one fetched message to the local queue the way SMTP does: the bytes (with a {@code Received:}
 * line naming the source in front) into the blob store, then {@link MailQueue#enqueue} with the
 * source's local address as the one recipient, so aliases, Sieve and quotas apply as to any inbound
 * mail. Returns only once the queue has the message durably. Blocking.
 */
final class FetchedMessageQueue {

    /** How long a poll waits for the queue to confirm one message. */
    private static final long ENQUEUE_TIMEOUT_SECONDS = 60;
    /** Fetched mail enters as if fetchmail had handed it to the local SMTP server. */
    private static final String LOCAL_CLIENT = "127.0.0.1";

    /** Writes the message's bytes to a stream; the remote fetch happens inside. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final BlobStore blobs;
    private final MailQueue queue;
    private final String hostname;
    private final Clock clock;

    FetchedMessageQueue(BlobStore blobs, MailQueue queue, String hostname, Clock clock) {
        this.blobs = blobs;
        this.queue = queue;
        this.hostname = hostname;
        this.clock = clock;
    }

    /**
     * Queues one message for {@code source.localRecipient()}.
     *
     * @param returnPath the message's {@code Return-Path} (or null): the envelope sender when it is an address,
     *                   else the null sender, so a bounce never goes to a guessed address
     * @return the queue id
     */
    String enqueue(FetchmailSource source, String returnPath, Body body) throws IOException {
        BlobRef ref;
        try (BlobWriter writer = blobs.create()) {
            writer.write(ByteBuffer.wrap(received(source).getBytes(StandardCharsets.US_ASCII)));
            java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(new BlobOutput(writer), 64 * 1024);
            body.writeTo(out);
            out.flush();
            ref = await(writer.commit(), "storing the message");
        }
        Envelope envelope = new Envelope(sender(returnPath), List.of(EnvelopeRecipient.of(source.localRecipient())),
                source.host(), LOCAL_CLIENT, null, false, null, null, "8BITMIME", false, clock.instant());
        return await(queue.enqueue(envelope, ref), "queueing the message");
    }

    private String received(FetchmailSource source) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock));
        return "Received: from " + source.host() + " by " + hostname + " with fetchmail ("
                + source.protocol().name() + ")\r\n\tfor <" + source.localRecipient() + ">; " + date + "\r\n";
    }

    static String sender(String returnPath) {
        if (returnPath == null) {
            return "";
        }
        String s = returnPath.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s.isEmpty() ? "" : MailAddress.tryParse(s).map(MailAddress::key).orElse("");
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage, String what) throws IOException {
        try {
            return stage.toCompletableFuture().get(ENQUEUE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " took more than " + ENQUEUE_TIMEOUT_SECONDS + "s", e);
        }
    }

    /** The blob writer as a stream, for the mail client's {@code writeTo}. */
    private static final class BlobOutput extends OutputStream {
        private final BlobWriter writer;

        BlobOutput(BlobWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) throws IOException {
            writer.write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writer.write(b, off, len);
        }
    }
}
