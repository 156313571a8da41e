package io.mailfleet.server.importer;

import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The importer cuts its batches by an estimate of the journal event they become (the embedded H2
 * journal keeps an event in a row of at most 1,000,000 bytes): for plain, multipart, nested and
 * header-heavy messages the estimate is never below what a message really adds to the Kryo-serialized
 * event, and a full batch stays below the row limit.
 */
class BatchWeightTest {

    private static final KryoCodec KRYO = KryoCodec.fromDefaultConfig();

    @Test
    void theEstimateIsNeverBelowWhatAMessageAddsToTheEvent() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            many.append(i == 0 ? "" : ",\r\n ").append("\"Recipient Number ").append(i).append("\" <r").append(i)
                    .append("@lists.example.org>");
        }
        List<String> messages = List.of(
                "From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n",
                "From: \"Alice Example\" <alice@example.org>\r\nTo: " + many + "\r\nCc: " + many
                        + "\r\nSubject: " + "a long subject ".repeat(40) + "\r\nMessage-ID: <x@example.org>\r\n"
                        + "In-Reply-To: <y@example.org>\r\nDate: Mon, 7 Dec 2026 08:00:00 +0000\r\n\r\nbody\r\n",
                multipart(30),
                "From: a@example.org\r\nSubject: forwarded\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: message/rfc822\r\n\r\n" + "From: b@example.org\r\nTo: " + many
                        + "\r\nSubject: inner\r\n\r\ninner body\r\n");
        long empty = KRYO.toBinary(event(List.of())).length;
        for (String m : messages) {
            byte[] bytes = m.getBytes(StandardCharsets.US_ASCII);
            MessageSummary s = MessageParser.parse(new ByteArrayInputStream(bytes));
            long weight = MailImporter.weight(s, bytes.length);
            long one = KRYO.toBinary(event(List.of(s))).length - empty;
            assertTrue(one <= weight, "serialized " + one + " > estimated " + weight + " for\n" + m);
            List<MessageSummary> batch = new ArrayList<>();
            long total = 0;
            while (total + weight < MailImporter.BATCH_EVENT_WEIGHT) {
                batch.add(s);
                total += weight;
            }
            batch.add(s); // the importer appends once the estimate reaches the limit: one more than fits
            long size = KRYO.toBinary(event(batch)).length;
            assertTrue(size < 1_000_000, size + " bytes for a batch of " + batch.size());
        }
        long unparsed = MailImporter.weight(null, 50L * 1024 * 1024);
        assertTrue(unparsed * 2 > MailImporter.BATCH_EVENT_WEIGHT && unparsed < MailImporter.BATCH_EVENT_WEIGHT,
                "a message parsed later counts as a header of the maximum size: " + unparsed);
    }

    private static MailboxEntity.MessagesAppended event(List<MessageSummary> summaries) {
        List<MessageMeta> metas = new ArrayList<>();
        Map<Long, MessageSummary> byUid = new HashMap<>();
        long uid = 1_000_000;
        for (MessageSummary s : summaries) {
            metas.add(new MessageMeta(uid, new BlobRef("p12345678901-" + uid, s.size(), "0".repeat(64)),
                    Instant.now(), Set.of("\\Seen", "\\Answered", "$Label1"), 99_999, null));
            byUid.put(uid, s);
            uid++;
        }
        return new MailboxEntity.MessagesAppended("Lists/Dev", metas, byUid);
    }

    private static String multipart(int parts) {
        StringBuilder b = new StringBuilder("From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n\r\npreamble\r\n");
        for (int i = 0; i < parts; i++) {
            b.append("--BOUNDARY\r\nContent-Type: application/octet-stream; name=\"attachment-").append(i)
                    .append(".bin\"\r\nContent-Disposition: attachment; filename=\"attachment-").append(i)
                    .append(".bin\"\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <part").append(i)
                    .append("@example.org>\r\n\r\nQUJDREVGRw==\r\n");
        }
        return b.append("--BOUNDARY--\r\n").toString();
    }
}
