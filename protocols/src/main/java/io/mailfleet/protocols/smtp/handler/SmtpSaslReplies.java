package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.sasl.SaslRefusal;
import io.mailfleet.protocols.smtp.SmtpReply;

/** The SMTP reply for each way a SASL exchange can be refused (RFC 4954 codes, Postfix texts). */
final class SmtpSaslReplies {

    private SmtpSaslReplies() {
    }

    /** {@code mechanism}: the name the client gave, upper case, for the 504 and 535 texts. */
    static SmtpReply refusal(SaslRefusal r, String mechanism) {
        return switch (r) {
            case ABORTED -> new SmtpReply(501, "5.7.0", "Authentication aborted");
            case BAD_BASE64 -> new SmtpReply(501, "5.5.2", "Error: invalid base64 data in response");
            case UNSUPPORTED_MECHANISM ->
                    new SmtpReply(504, "5.5.4", "Error: unsupported authentication mechanism " + mechanism);
            case ENCRYPTION_REQUIRED -> new SmtpReply(530, "5.7.0", "Must issue a STARTTLS command first");
            case INVALID_TOKEN -> new SmtpReply(535, "5.7.8", "Error: authentication failed: invalid token");
            case TOO_LONG, MISSING_PARTS, EMPTY_AUTHENTICATION_ID, INVALID_TEXT, AUTHORIZATION_ID_REFUSED ->
                    new SmtpReply(535, "5.7.8", "Error: authentication failed: malformed " + mechanism + " response");
        };
    }
}
