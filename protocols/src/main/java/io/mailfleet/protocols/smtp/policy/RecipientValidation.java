package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.protocols.smtp.SmtpReply;

/**
 * What RCPT TO checks before {@link SmtpPolicy} looks the recipient up: a bare {@code postmaster}
 * rewritten to POSTMASTER_ADDRESS, the address syntax, authentication on submission, and Postfix's
 * {@code reject_non_fqdn_helo_hostname} for clients that may not relay (delayed to RCPT as Postfix does).
 */
public final class RecipientValidation {

    /** What the check found. */
    public sealed interface Result {
    }

    /**
     * The recipient may go on to the policy.
     *
     * @param recipient      the forward-path to look up ({@code postmaster} rewritten)
     * @param address        that path parsed
     * @param barePostmaster it was {@code <postmaster>} without a domain (RFC 5321 §4.5.1)
     */
    public record Valid(String recipient, MailAddress address, boolean barePostmaster) implements Result {
    }

    /**
     * The recipient is refused.
     *
     * @param recipient   the forward-path, for the log
     * @param reply       what the client gets
     * @param logReason   the reason of the logged decision, null when the refusal is not logged
     * @param abuseReason counted as protocol abuse under this reason, null when it is not
     */
    public record Invalid(String recipient, SmtpReply reply, String logReason, String abuseReason) implements Result {
    }

    private RecipientValidation() {
    }

    /**
     * @param rcpt              the forward-path as given
     * @param smtpUtf8          the transaction was opened with SMTPUTF8
     * @param postmasterAddress POSTMASTER_ADDRESS, null when not set
     * @param submission        the listener is a submission port
     * @param login             the authenticated account, or null
     * @param relay             the client may relay (authenticated or trusted network)
     * @param helo              the client's HELO/EHLO name
     * @param remoteIp          the client's address, for the submission refusal
     */
    public static Result check(String rcpt, boolean smtpUtf8, String postmasterAddress, boolean submission,
                               String login, boolean relay, String helo, String remoteIp) {
        boolean barePostmaster = rcpt.equalsIgnoreCase("postmaster") && postmasterAddress != null;
        if (barePostmaster) {
            rcpt = postmasterAddress; // RFC 5321 §4.5.1: <postmaster> without a domain
        }
        MailAddress addr;
        try {
            if (!smtpUtf8 && !SenderValidation.isAscii(rcpt)) {
                throw new InvalidAddressException("non-ASCII address without SMTPUTF8");
            }
            addr = MailAddress.parse(rcpt);
        } catch (InvalidAddressException e) {
            return new Invalid(rcpt, new SmtpReply(501, "5.1.3", "Bad recipient address syntax"), null, null);
        }
        if (submission && login == null) {
            return new Invalid(rcpt, new SmtpReply(554, "5.7.1", "<unknown[" + remoteIp
                    + "]>: Client host rejected: Access denied"), "unauthenticated submission", null);
        }
        if (!relay && helo.indexOf('.') < 0 && !helo.startsWith("[")) {
            return new Invalid(rcpt, new SmtpReply(504, "5.5.2", "<" + helo
                    + ">: Helo command rejected: need fully-qualified hostname"), "non-FQDN HELO " + helo,
                    "non-FQDN HELO");
        }
        return new Valid(rcpt, addr, barePostmaster);
    }
}
