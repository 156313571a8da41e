package io.mailfleet.protocols.imap.command;

import io.mailfleet.protocols.imap.Args;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Requests and grammar of the connection-state commands (RFC 3501 §6.1–6.2, ID, ENABLE, IDLE, COMPRESS). */
public final class StateCommands {

    private StateCommands() {
    }

    /** CAPABILITY. */
    public record Capability() implements ImapRequest {
    }

    /** NOOP, or CHECK when {@code check}. */
    public record Noop(boolean check) implements ImapRequest {
    }

    /** LOGOUT. */
    public record Logout() implements ImapRequest {
    }

    /** ID (RFC 2971); what the client says of itself is read and not kept. */
    public record Id() implements ImapRequest {
    }

    /** STARTTLS. */
    public record StartTls() implements ImapRequest {
    }

    /** LOGIN user password. */
    public record Login(String user, String password) implements ImapRequest {
    }

    /** AUTHENTICATE mechanism [initial-response] (SASL-IR); the response is null when absent. */
    public record Authenticate(String mechanism, String initialResponse) implements ImapRequest {
    }

    /** ENABLE capability..., upper-cased, in the client's order. */
    public record Enable(List<String> capabilities) implements ImapRequest {
    }

    /** IDLE (RFC 2177). */
    public record Idle() implements ImapRequest {
    }

    /** COMPRESS mechanism (RFC 4978), upper-cased. */
    public record Compress(String mechanism) implements ImapRequest {
    }

    public static Capability capability(Args a, ParseContext c) {
        a.end();
        return new Capability();
    }

    public static Noop noop(Args a, ParseContext c) {
        a.end();
        return new Noop(false);
    }

    public static Noop check(Args a, ParseContext c) {
        a.end();
        return new Noop(true);
    }

    public static Logout logout(Args a, ParseContext c) {
        a.end();
        return new Logout();
    }

    /** {@code ID ("name" "value" ...)} or {@code ID NIL}. */
    public static Id id(Args a, ParseContext c) {
        a.sp();
        if (a.tryChar('(')) {
            while (!a.tryChar(')')) {
                a.tryChar(' ');
                if (a.peek() == 'N' || a.peek() == 'n') {
                    a.atom();
                } else {
                    a.string();
                }
            }
        } else {
            a.atom();
        }
        a.end();
        return new Id();
    }

    public static StartTls startTls(Args a, ParseContext c) {
        a.end();
        return new StartTls();
    }

    public static Login login(Args a, ParseContext c) {
        a.sp();
        String user = a.astring();
        a.sp();
        String pass = a.astring();
        a.end();
        return new Login(user, pass);
    }

    public static Authenticate authenticate(Args a, ParseContext c) {
        a.sp();
        String mech = a.atom();
        String initial = null;
        if (a.tryChar(' ')) {
            initial = a.atom("=+/");
        }
        a.end();
        return new Authenticate(mech, initial);
    }

    public static Enable enable(Args a, ParseContext c) {
        List<String> asked = new ArrayList<>();
        while (a.tryChar(' ')) {
            asked.add(a.atom().toUpperCase(Locale.ROOT));
        }
        a.end();
        return new Enable(List.copyOf(asked));
    }

    public static Idle idle(Args a, ParseContext c) {
        a.end();
        return new Idle();
    }

    public static Compress compress(Args a, ParseContext c) {
        a.sp();
        String mech = a.atom().toUpperCase(Locale.ROOT);
        a.end();
        return new Compress(mech);
    }
}
