package io.mailfleet.protocols.managesieve;

import io.mailfleet.protocols.framing.LineFramer;
import io.mailfleet.protocols.framing.LiteralMarker;
import io.mailfleet.protocols.managesieve.Tokens.Token;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts one ManageSieve command together from its lines and literals (RFC 5804 §4), under the
 * command-length and literal-size limits, and splits it into words. Event loop only.
 */
final class CommandAssembler {

    /** What a line completed. */
    sealed interface Read permits More, Refused, Command {
    }

    /** A literal follows: the command goes on. */
    record More() implements Read {
    }

    /** The command is refused with {@code reply}; {@code endsExchange} when it also ends a SASL exchange. */
    record Refused(String reply, boolean endsExchange) implements Read {
    }

    /** The command's words. */
    record Command(List<Token> words) implements Read {
    }

    private final ManageSieveSettings settings;
    private final LineFramer framer;
    private List<Object> parts = new ArrayList<>();
    private int commandLength;
    private ByteArrayOutputStream literal;
    private String rejectReply;

    CommandAssembler(ManageSieveSettings settings, LineFramer framer) {
        this.settings = settings;
        this.framer = framer;
    }

    /** Forgets the command read so far. */
    void reset() {
        parts = new ArrayList<>();
        commandLength = 0;
        rejectReply = null;
        literal = null;
    }

    /** The next octets of the literal being read (kept unless it is over the limit); {@code last} ends it. */
    void literal(ByteBuf chunk, boolean last) {
        if (literal != null) {
            byte[] b = new byte[chunk.readableBytes()];
            chunk.readBytes(b);
            literal.write(b, 0, b.length);
        }
        if (last) {
            parts.add(literal == null ? new byte[0] : literal.toByteArray());
            literal = null;
        }
    }

    /** The next line of the command. */
    Read line(String line) {
        commandLength += line.length();
        if (commandLength > settings.maxLineLength() * 4L) {
            reset();
            return new Refused("Command too long.", false);
        }
        LiteralMarker m = LiteralMarker.find(line, LiteralMarker.Syntax.MANAGESIEVE);
        if (m != null) {
            beginLiteral(line.substring(0, m.start()), m.octets());
            return new More();
        }
        parts.add(line);
        List<Object> command = parts;
        String reject = rejectReply;
        reset();
        if (reject != null) {
            return new Refused(reject, true);
        }
        try {
            return new Command(Tokens.parse(command));
        } catch (IllegalArgumentException e) {
            return new Refused("NO " + Tokens.string(e.getMessage()), true);
        }
    }

    private void beginLiteral(String before, long n) {
        parts.add(before);
        // A script may be as large as the compile limit; every other string is far smaller.
        long limit = settings.limits().maxScriptSize() + 1024L;
        if (n > limit) {
            rejectReply = "NO (QUOTA/MAXSIZE) " + Tokens.string("Literal of " + n + " octets exceeds the limit of "
                    + limit + " octets.");
            literal = null;
        } else {
            literal = new ByteArrayOutputStream((int) Math.min(n, 8192));
        }
        framer.expect(n);
        if (n == 0) {
            parts.add(new byte[0]);
            literal = null;
        }
    }
}
