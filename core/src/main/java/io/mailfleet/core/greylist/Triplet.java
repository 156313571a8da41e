package io.mailfleet.core.greylist;

import io.mailfleet.core.ban.IpNetwork;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * What greylisting remembers: the client's network (its /24 or /64, so a sender's pool of outgoing
 * hosts counts as one client, as Postgrey's {@code --lookup-by-subnet}), the sender and the recipient,
 * both lower-cased; the null sender is {@code <>}.
 */
public record Triplet(String clientNetwork, String sender, String recipient) {

    public Triplet {
        Objects.requireNonNull(clientNetwork, "clientNetwork");
        sender = sender == null || sender.isEmpty() ? "<>" : sender.toLowerCase(Locale.ROOT);
        recipient = Objects.requireNonNull(recipient, "recipient").toLowerCase(Locale.ROOT);
    }

    /** The triplet of a client address. */
    public static Triplet of(InetAddress client, String sender, String recipient) {
        return new Triplet(IpNetwork.bucketOf(client), sender, recipient);
    }

    /** The key of this triplet inside its client network's record. */
    public String senderRecipient() {
        return sender + " " + recipient;
    }
}
