package io.mailfleet.cluster.greylist;

/** One remembered triplet: first and last attempt (epoch ms) and whether a retry passed the delay. */
public record TripletRecord(long firstSeen, long lastSeen, boolean passed) {

    TripletRecord seen(long now) {
        return new TripletRecord(firstSeen, now, passed);
    }

    TripletRecord pass(long now) {
        return new TripletRecord(firstSeen, now, true);
    }
}
