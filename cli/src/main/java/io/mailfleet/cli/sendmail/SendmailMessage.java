package io.mailfleet.cli.sendmail;

import io.mailfleet.core.mime.Address;
import io.mailfleet.core.mime.AddressParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The message a sendmail caller wrote on standard input, made ready for SMTP: lines end in CRLF,
 * {@code Bcc:} is removed after its recipients are taken ({@code -t}), and the {@code From:},
 * {@code Date:} and {@code Message-ID:} fields a script often leaves out are added, as Postfix's
 * cleanup adds them.
 */
public final class SendmailMessage {

    /** The message is larger than the node accepts: sendmail's EX_DATAERR. */
    public static final class TooBig extends IOException {
        public TooBig(long limit) {
            super("message exceeds the node's size limit of " + limit + " bytes");
        }
    }

    private final byte[] bytes;
    private final List<String> headerRecipients;

    private SendmailMessage(byte[] bytes, List<String> headerRecipients) {
        this.bytes = bytes;
        this.headerRecipients = List.copyOf(headerRecipients);
    }

    /** The message with CRLF line ends, ready to be dot-stuffed. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The addresses of To:, Cc: and Bcc:, in order, without duplicates (for {@code -t}). */
    public List<String> headerRecipients() {
        return headerRecipients;
    }

    /**
     * Reads the message from {@code in}.
     *
     * @param from     the envelope sender, for a From: field the message lacks
     * @param fullName the sender's name for that From:, or null
     * @param hostname the node's name, for the Message-ID
     * @param limit    the largest message the node accepts, in bytes
     */
    public static SendmailMessage read(InputStream in, SendmailArgs args, String from, String hostname, long limit)
            throws IOException {
        List<String> header = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean inHeader = true;
        long total = 0;
        for (byte[] line = readLine(in); line != null; line = readLine(in)) {
            total += line.length + 2;
            if (total > limit) {
                throw new TooBig(limit);
            }
            if (!args.dotIsData() && line.length == 1 && line[0] == '.') {
                break;
            }
            if (inHeader) {
                String text = new String(line, StandardCharsets.UTF_8);
                if (text.isEmpty()) {
                    inHeader = false;
                    continue;
                }
                if ((text.startsWith(" ") || text.startsWith("\t")) && !header.isEmpty()) {
                    header.set(header.size() - 1, header.get(header.size() - 1) + "\r\n" + text);
                    continue;
                }
                if (text.indexOf(':') > 0 && text.substring(0, text.indexOf(':')).matches("[\\x21-\\x39\\x3b-\\x7e]+")) {
                    header.add(text);
                    continue;
                }
                // not a header field (a script that wrote no header at all): the rest is body
                inHeader = false;
            }
            body.write(line);
            body.write('\r');
            body.write('\n');
        }
        Set<String> recipients = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>();
        boolean hasFrom = false;
        boolean hasDate = false;
        boolean hasId = false;
        for (String field : header) {
            String name = field.substring(0, field.indexOf(':')).strip().toLowerCase(Locale.ROOT);
            String value = field.substring(field.indexOf(':') + 1).replace("\r\n", "");
            if (name.equals("to") || name.equals("cc") || name.equals("bcc")) {
                for (Address a : AddressParser.parse(value)) {
                    if (a.mailbox() != null && a.host() != null) {
                        recipients.add(a.mailbox() + "@" + a.host());
                    }
                }
            }
            hasFrom |= name.equals("from");
            hasDate |= name.equals("date");
            hasId |= name.equals("message-id");
            if (!name.equals("bcc")) {
                kept.add(field);
            }
        }
        StringBuilder head = new StringBuilder();
        if (!hasFrom) {
            head.append("From: ").append(args.fullName() == null ? "" : quoted(args.fullName()) + " ")
                    .append('<').append(from).append(">\r\n");
        }
        if (!hasDate) {
            head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now())).append("\r\n");
        }
        if (!hasId) {
            head.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(hostname).append(">\r\n");
        }
        for (String f : kept) {
            head.append(f).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream all = new ByteArrayOutputStream(head.length() + body.size());
        all.write(head.toString().getBytes(StandardCharsets.UTF_8));
        body.writeTo(all);
        return new SendmailMessage(all.toByteArray(), new ArrayList<>(recipients));
    }

    private static String quoted(String name) {
        return name.matches("[A-Za-z0-9 !#$%&'*+/=?^_`{|}~.-]*") ? name
                : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One line without its LF (and CR before it), or null at the end of input. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        if (!any) {
            return null;
        }
        byte[] l = line.toByteArray();
        return l.length > 0 && l[l.length - 1] == '\r' ? java.util.Arrays.copyOf(l, l.length - 1) : l;
    }
}
