package io.mailfleet.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * The Sieve script behind the self-service vacation form (RFC 5230 {@code vacation}). The form's
 * values travel in the script as a JSON comment, so the form shows what was saved; the script itself
 * is an ordinary Sieve script checked by the same compiler as a ManageSieve upload.
 */
final class VacationScript {

    /** The script's name in the account's Sieve scripts. */
    static final String NAME = "vacation";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "# mailfleet-web ";

    private VacationScript() {
    }

    /** The form: the reply's subject and text, and the days before the same sender is answered again (as typed). */
    record Form(String subject, String message, String days) {
        static final Form EMPTY = new Form("Out of office", "", "7");
    }

    /** The script for {@code form}; the days must be digits (the compiler judges their range). */
    static String script(Form form) {
        String days = form.days().strip();
        if (!days.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("Days must be a whole number, such as 7.");
        }
        ObjectNode values = JSON.createObjectNode().put("subject", form.subject()).put("message", form.message())
                .put("days", days);
        String subject = form.subject().strip().isEmpty() ? "" : " :subject " + quoted(form.subject().strip());
        return "# Vacation auto-reply written by the Mailfleet web UI; saving the form there replaces this script.\r\n"
                + MARK + values + "\r\n"
                + "require [\"vacation\"];\r\n"
                + "vacation :days " + days + subject + " " + quoted(form.message()) + ";\r\n";
    }

    /** The form values saved in a script written by {@link #script}; empty for any other script. */
    static Optional<Form> parse(String source) {
        for (String line : source.split("\r?\n")) {
            if (line.startsWith(MARK)) {
                try {
                    JsonNode n = JSON.readTree(line.substring(MARK.length()));
                    return Optional.of(new Form(n.path("subject").asText(""), n.path("message").asText(""),
                            n.path("days").asText("7")));
                } catch (JsonProcessingException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A Sieve quoted string (RFC 5228 §2.4.2): backslash and double quote escaped, line breaks kept. */
    static String quoted(String text) {
        String normalised = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
        return "\"" + normalised.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
