package io.mailfleet.core.sieve;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/** Helpers shared by the Sieve tests: messages from text, a fixed clock, compile-and-run. */
final class SieveTesting {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-15T10:20:30Z"), ZoneOffset.UTC);

    private SieveTesting() {
    }

    static SieveMessage message(String from, String to, String text) {
        byte[] raw = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return new MimeSieveMessage(raw, from, to, to, ZonedDateTime.now(CLOCK));
    }

    static SieveEnvironment env() {
        return SieveEnvironment.defaults(CLOCK);
    }

    static CompiledScript compile(String script) {
        try {
            return SieveCompiler.compile("test", script);
        } catch (ParseException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static SieveResult run(String script, SieveMessage msg, SieveEnvironment env) {
        return SieveEngine.run(List.of(compile(script)), msg, env);
    }

    static SieveResult run(String script, SieveMessage msg) {
        return run(script, msg, env());
    }

    static final String SIMPLE = """
            Return-Path: <alice@example.org>
            Received: from mx.example.org by mail.example.com; Tue, 12 Mar 2024 09:00:00 +0100
            From: Alice Example <alice@example.org>
            To: Bob <bob+lists@example.com>, carol@example.net
            Cc: "Dave D." <dave@example.com>
            Subject: =?UTF-8?Q?Caf=C3=A9?= meeting [urgent]
            Date: Tue, 12 Mar 2024 08:59:00 +0100
            Message-ID: <m1@example.org>
            X-Spam-Score: 7
            X-Spam-Score: 12
            Content-Type: text/plain; charset=utf-8

            Hello Bob,
            the MAKE MONEY FAST offer is here.
            """;
}
