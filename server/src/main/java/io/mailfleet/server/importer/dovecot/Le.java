package io.mailfleet.server.importer.dovecot;

/** Little-endian reads from a byte array; the caller has checked the bounds. */
final class Le {

    private Le() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    /** An unsigned 64-bit value; one above Long.MAX_VALUE is as unusable as garbage, so it is clamped. */
    static long u64(byte[] b, int at) {
        long v = u32(b, at) | u32(b, at + 4) << 32;
        return v < 0 ? Long.MAX_VALUE : v;
    }

    /** 8-byte alignment, as Dovecot pads its extension headers. */
    static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /** 4-byte alignment, as Dovecot pads the variable parts of log records. */
    static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
