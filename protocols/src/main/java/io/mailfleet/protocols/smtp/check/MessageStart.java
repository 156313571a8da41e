package io.mailfleet.protocols.smtp.check;

import java.util.List;

/**
 * A message whose data is about to stream in: the transaction as the end-of-data checks first see it.
 *
 * @param transactionId the transaction's id in the log
 * @param sender        the reverse-path, empty for the null sender
 * @param recipients    the accepted forward-paths in RCPT order
 * @param relay         whether the client may relay (authenticated or in a trusted network): content
 *                      filters usually leave such mail alone, as docker-mailserver's do
 */
public record MessageStart(SmtpPeer client, String transactionId, String sender, List<String> recipients,
                           boolean relay) {

    public MessageStart {
        recipients = List.copyOf(recipients);
    }
}
