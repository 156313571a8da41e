package io.mailfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a Maildir as Dovecot (docker-mailserver) leaves it: messages with bare LF line ends and the
 * headers a delivered message has (Return-Path, Delivered-To, Received, From, To, Subject, Date,
 * Message-ID, MIME), files named {@code <time>.M<usec>P<pid>Q<n>.<host>,S=<size>,W=<vsize>:2,<flags>} in
 * {@code cur/} (the newest few in {@code new/}) with their delivery time as modification time, Maildir++
 * folders ({@code .Sent}, {@code .Lists.Dev}), and per folder a {@code dovecot-uidlist} whose UIDs have
 * the gaps that expunged messages leave, a {@code dovecot-keywords} and the account's
 * {@code subscriptions}. Repeatable: the same arguments give the same tree.
 */
final class MaildirGenerator {

    /** Folder names after INBOX, in the order {@code --folders} takes them (Maildir++ on disk). */
    private static final String[] FOLDERS = {"Sent", "Archive", "Lists.Dev", "Lists.Announce", "Drafts", "Junk",
            "Projects.Mailfleet", "Projects.Website", "Family", "Travel"};

    private static final String[] WORDS = ("the import keeps every message with its uid flags and date so a client "
            + "that cached the folder before the move does not download it again meeting schedule tomorrow "
            + "afternoon please review attached figures thanks regards invoice order shipment project report "
            + "quarter budget draft minutes agenda release notes server migration mailbox archive").split(" ");

    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final long UID_VALIDITY = 1_600_000_000L;

    private final int messages;
    private final int size;
    private final int folders;

    /** What was written: messages, folders and the file bytes. */
    record Written(long messages, int folders, long bytes) {
    }

    /**
     * @param messages messages in all, spread over the folders (INBOX takes what does not divide evenly)
     * @param size     octets of each message file (LF line ends, as Maildir stores them)
     * @param folders  INBOX and {@code folders - 1} more
     */
    MaildirGenerator(int messages, int size, int folders) {
        this.messages = messages;
        this.size = size;
        this.folders = folders;
    }

    /** The folder names on disk, INBOX first (the root, {@code null}), in the order messages are spread. */
    static List<String> folderNames(int folders) {
        List<String> out = new ArrayList<>();
        out.add(null);
        for (int i = 1; i < folders; i++) {
            out.add(i <= FOLDERS.length ? FOLDERS[i - 1] : "Folder" + i);
        }
        return out;
    }

    /** Writes the tree into {@code root} (created; must not hold a Maildir yet). */
    Written write(Path root) throws IOException {
        Files.createDirectories(root);
        List<String> names = folderNames(folders);
        long bytes = 0;
        int perFolder = messages / folders;
        StringBuilder subscriptions = new StringBuilder();
        for (int f = 0; f < names.size(); f++) {
            int count = f == 0 ? messages - perFolder * (folders - 1) : perFolder;
            Path dir = names.get(f) == null ? root : root.resolve("." + names.get(f));
            bytes += folder(dir, count, f);
            if (names.get(f) != null) {
                subscriptions.append(names.get(f).replace('.', '/')).append('\n');
            }
        }
        Files.writeString(root.resolve("subscriptions"), subscriptions.toString(), StandardCharsets.UTF_8);
        return new Written(messages, folders, bytes);
    }

    private long folder(Path dir, int count, int folderIndex) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("dovecot-keywords"), "0 $Label1\n1 Work\n", StandardCharsets.US_ASCII);
        Random random = new Random(42 + folderIndex);
        byte[] body = body(size, random);
        // deliveries one to ten minutes apart, ending an hour ago
        long time = Instant.now().getEpochSecond() - 3600 - 600L * count;
        long uid = 0;
        long bytes = 0;
        StringBuilder uidlist = new StringBuilder(64 * count + 64);
        int fresh = Math.min(count, 5);
        for (int n = 0; n < count; n++) {
            time += 60 + random.nextInt(540);
            uid += random.nextInt(10) == 0 ? 2 : 1; // every tenth or so, a message expunged before the move
            byte[] header = header(folderIndex, n, time);
            int bodyLength = Math.max(0, size - header.length);
            // the body is cut to size and ends with a line end, as every delivered message does
            int lines = lineCount(header) + (bodyLength == 0 ? 0 : lineCount(body, bodyLength - 1) + 1);
            int fileSize = header.length + bodyLength;
            String base = time + ".M" + (100_000 + random.nextInt(900_000)) + "P" + (1000 + n % 30_000) + "Q" + n
                    + ".mail.example.com,S=" + fileSize + ",W=" + (fileSize + lines);
            boolean isNew = n >= count - fresh;
            String name = isNew ? base : base + ":2," + flags(random);
            Path file = dir.resolve(isNew ? "new" : "cur").resolve(name);
            try (var out = Files.newOutputStream(file)) {
                out.write(header);
                if (bodyLength > 0) {
                    out.write(body, 0, bodyLength - 1);
                    out.write('\n');
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(time)));
            uidlist.append(uid).append(" W").append(fileSize + lines).append(" :").append(base).append('\n');
            bytes += fileSize;
        }
        String head = "3 V" + (UID_VALIDITY + folderIndex) + " N" + (uid + 1) + " G3085f01b7f11094c501100008c4a11c1\n";
        Files.writeString(dir.resolve("dovecot-uidlist"), head + uidlist, StandardCharsets.US_ASCII);
        return bytes;
    }

    /** Flags as Dovecot writes them (sorted), most messages read, some answered, flagged or with a keyword. */
    private static String flags(Random random) {
        int r = random.nextInt(100);
        if (r < 70) {
            return "S";
        }
        if (r < 85) {
            return "RS";
        }
        if (r < 92) {
            return "FS";
        }
        if (r < 97) {
            return "Sa";
        }
        return "";
    }

    private static byte[] header(int folder, int n, long time) {
        String date = RFC_5322.format(Instant.ofEpochSecond(time));
        String id = Long.toString(time, 36) + "." + n + "." + folder;
        String h = "Return-Path: <sender" + (n % 97) + "@lists.example.org>\n"
                + "Delivered-To: user@example.com\n"
                + "Received: from mx.example.org (mx.example.org [192.0.2.25])\n"
                + "\tby mail.example.com (Postfix) with ESMTPS id 4X" + id.toUpperCase(java.util.Locale.ROOT) + "\n"
                + "\tfor <user@example.com>; " + date + "\n"
                + "From: Sender " + (n % 97) + " <sender" + (n % 97) + "@lists.example.org>\n"
                + "To: User <user@example.com>\n"
                + "Subject: Import benchmark message " + n + " of folder " + folder + "\n"
                + "Date: " + date + "\n"
                + "Message-ID: <" + id + "@lists.example.org>\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=utf-8; format=flowed\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n";
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    /** Lines of at most 72 characters of words, LF-terminated, at least {@code size} bytes in all. */
    private static byte[] body(int size, Random random) {
        StringBuilder b = new StringBuilder(size + 80);
        StringBuilder line = new StringBuilder(80);
        while (b.length() < size) {
            line.setLength(0);
            while (true) {
                String w = WORDS[random.nextInt(WORDS.length)];
                if (line.length() + 1 + w.length() > 72) {
                    break;
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(w);
            }
            b.append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int lineCount(byte[] b) {
        return lineCount(b, b.length);
    }

    private static int lineCount(byte[] b, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}
