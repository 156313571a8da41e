package io.mailfleet.protocols.outbound;

import io.netty.buffer.ByteBuf;

/**
 * Streaming DATA encoder: normalises bare CR and bare LF to CRLF, doubles a leading dot on every
 * line (RFC 5321 4.5.2) and ends the body with CRLF "." CRLF.
 */
final class DotStuffer {

    private boolean lineStart = true;
    private boolean pendingCr;

    void encode(byte[] in, int len, ByteBuf out) {
        for (int i = 0; i < len; i++) {
            byte b = in[i];
            if (pendingCr) {
                pendingCr = false;
                out.writeByte('\r').writeByte('\n');
                lineStart = true;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                pendingCr = true;
                continue;
            }
            if (b == '\n') {
                out.writeByte('\r').writeByte('\n');
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') {
                out.writeByte('.');
            }
            lineStart = false;
            out.writeByte(b);
        }
    }

    void finish(ByteBuf out) {
        if (pendingCr) {
            pendingCr = false;
            out.writeByte('\r').writeByte('\n');
            lineStart = true;
        }
        if (!lineStart) {
            out.writeByte('\r').writeByte('\n');
        }
        out.writeByte('.').writeByte('\r').writeByte('\n');
    }
}
