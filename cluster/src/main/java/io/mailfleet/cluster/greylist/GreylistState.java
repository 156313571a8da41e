package io.mailfleet.cluster.greylist;

import java.util.HashMap;
import java.util.Map;

/**
 * What one client network's {@code Greylist} entity has written: its triplets (key
 * {@code "sender recipient"}) and its client record. Immutable.
 */
public record GreylistState(Map<String, TripletRecord> triplets, ClientRecord client) {

    public GreylistState {
        triplets = Map.copyOf(triplets);
    }

    public static GreylistState empty() {
        return new GreylistState(Map.of(), ClientRecord.NONE);
    }

    /** This state with a batch of decisions applied and everything not seen since {@code forgetBefore} dropped. */
    GreylistState with(GreylistEntity.Recorded batch) {
        Map<String, TripletRecord> next = new HashMap<>(triplets);
        next.putAll(batch.triplets());
        next.values().removeIf(t -> t.lastSeen() < batch.forgetBefore());
        ClientRecord c = batch.client() == null ? client : batch.client();
        if (c.lastSeen() < batch.forgetBefore()) {
            c = ClientRecord.NONE;
        }
        return new GreylistState(next, c);
    }
}
