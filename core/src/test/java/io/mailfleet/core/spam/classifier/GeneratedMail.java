package io.mailfleet.core.spam.classifier;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/** Generated spam and ham with overlapping vocabularies, in plain, HTML and base64 forms. */
final class GeneratedMail {

    static final String[] SPAM = {"winner", "prize", "claim", "cheap", "pills", "offer", "limited", "casino", "bonus",
        "bitcoin", "investment", "guaranteed", "unsubscribe", "click", "viagra", "loan", "credit", "urgent", "free",
        "million", "lottery", "discount", "pharmacy", "crypto", "rich", "exclusive", "deal", "act", "now", "wire"};
    static final String[] HAM = {"meeting", "project", "report", "schedule", "review", "lunch", "tomorrow", "draft",
        "minutes", "agenda", "team", "budget", "release", "build", "tests", "thanks", "regards", "notes", "kids",
        "dinner", "weekend", "invoice", "attached", "slides", "deadline", "call", "coffee", "quarter", "plan", "branch"};
    static final String[] COMMON = {"the", "and", "you", "your", "this", "for", "with", "please", "today", "we", "is",
        "our", "have", "will", "be", "from", "about", "more", "all", "time"};

    private final Random random;

    GeneratedMail(long seed) {
        this.random = new Random(seed);
    }

    byte[] spam(int n) {
        return message(SPAM, n, "deals" + random.nextInt(50) + ".example", random.nextInt(3));
    }

    byte[] ham(int n) {
        return message(HAM, n, "example.org", random.nextInt(3));
    }

    private byte[] message(String[] words, int n, String domain, int form) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            body.append(random.nextInt(3) == 0 ? words[random.nextInt(words.length)]
                    : random.nextInt(5) == 0 ? SPAM[random.nextInt(SPAM.length)] + " " + HAM[random.nextInt(HAM.length)]
                    : COMMON[random.nextInt(COMMON.length)]).append(i % 12 == 11 ? "\r\n" : " ");
        }
        String subject = words[random.nextInt(words.length)] + " " + COMMON[random.nextInt(COMMON.length)] + " "
                + words[random.nextInt(words.length)];
        String head = "From: sender" + n + "@" + domain + "\r\nTo: alice@example.com\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + n + "." + random.nextInt() + "@" + domain + ">\r\nMIME-Version: 1.0\r\n";
        String text = body.toString();
        String m = switch (form) {
            case 0 -> head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text;
            case 1 -> head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\r\n";
            default -> head + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\n"
                    + "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p style=\"x\">" + text
                    + "</p><a href=\"https://" + domain + "/x\">here</a></body></html>\r\n--b1--\r\n";
        };
        return m.getBytes(StandardCharsets.UTF_8);
    }
}
