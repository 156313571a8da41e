package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.protocols.smtp.SmtpReply;

import java.util.Optional;

/** Whether a MAIL FROM reverse-path is an address at all, before {@link SmtpPolicy} judges it. */
public final class SenderValidation {

    private SenderValidation() {
    }

    /**
     * The refusal of {@code sender}, empty when it is the null sender or a valid address (non-ASCII
     * only with SMTPUTF8).
     */
    public static Optional<SmtpReply> refusal(String sender, boolean smtpUtf8) {
        if (sender.isEmpty()) {
            return Optional.empty();
        }
        if (!smtpUtf8 && !isAscii(sender)) {
            return Optional.of(new SmtpReply(553, "5.6.7",
                    "<" + sender + ">: Sender address rejected: non-ASCII address needs SMTPUTF8"));
        }
        try {
            MailAddress.parse(sender);
        } catch (InvalidAddressException e) {
            return Optional.of(new SmtpReply(501, "5.1.7", "Bad sender address syntax"));
        }
        return Optional.empty();
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }
}
