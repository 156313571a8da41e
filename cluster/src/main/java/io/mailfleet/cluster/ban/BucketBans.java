package io.mailfleet.cluster.ban;

import io.mailfleet.core.ban.Ban;

import java.util.List;

/**
 * The replicated value of one ban-list bucket: its active bans when published. {@code version} is
 * the entity's event sequence number, so caches keep the newest value of each bucket.
 */
public record BucketBans(String bucket, long version, List<Ban> bans) {

    public BucketBans {
        bans = List.copyOf(bans);
    }
}
