package io.mailfleet.cluster.greylist;

/** A client network's retries that passed the delay, and when it was last seen passing (epoch ms). */
public record ClientRecord(int passedRetries, long lastSeen) {

    static final ClientRecord NONE = new ClientRecord(0, 0);

    ClientRecord seen(long now) {
        return new ClientRecord(passedRetries, now);
    }

    ClientRecord passed(long now) {
        return new ClientRecord(passedRetries + 1, now);
    }
}
