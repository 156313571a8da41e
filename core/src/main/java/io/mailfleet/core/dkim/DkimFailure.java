package io.mailfleet.core.dkim;

/**
 * A signature that parses but is not acceptable (RFC 8301's rsa-sha1 and short keys, an expired x=): its
 * result is {@code fail}, where a {@link DkimException} alone means {@code permerror}.
 */
final class DkimFailure extends DkimException {
    DkimFailure(String message) {
        super(message);
    }
}
