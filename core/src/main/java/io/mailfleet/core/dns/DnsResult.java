package io.mailfleet.core.dns;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one DNS question: records with the TTL they may be cached for, NXDOMAIN, NODATA,
 * or a temporary error (SERVFAIL, timeout, malformed or hostile answer).
 *
 * @param <T> the record data type
 */
public sealed interface DnsResult<T> {

    /** At least one record of the asked type; {@code ttl} is the smallest TTL of the RRset. */
    record Found<T>(List<T> values, Duration ttl) implements DnsResult<T> {
        public Found {
            values = List.copyOf(values);
        }
    }

    /** The name does not exist (RCODE 3). */
    record NxDomain<T>() implements DnsResult<T> {
    }

    /** The name exists but has no record of the asked type. */
    record NoData<T>() implements DnsResult<T> {
    }

    /** The question could not be answered now; asking later may succeed. */
    record TempError<T>(String reason) implements DnsResult<T> {
    }

    /** The question itself is not a valid DNS name (too long, empty label); asking again will not help. */
    record InvalidName<T>(String reason) implements DnsResult<T> {
    }

    /** True for NXDOMAIN and NODATA: the "void lookup" of RFC 7208 section 4.6.4. */
    default boolean isVoid() {
        return this instanceof NxDomain || this instanceof NoData;
    }

    /** The records, or an empty list for every other outcome. */
    default List<T> valuesOrEmpty() {
        return this instanceof Found<T> f ? f.values() : List.of();
    }

    /** Same outcome with the records converted; the converter must not throw. */
    default <U> DnsResult<U> map(java.util.function.Function<T, U> f) {
        if (this instanceof Found<T> found) {
            return new Found<>(found.values().stream().map(f).toList(), found.ttl());
        }
        if (this instanceof NxDomain) {
            return new NxDomain<>();
        }
        if (this instanceof NoData) {
            return new NoData<>();
        }
        if (this instanceof InvalidName<T> i) {
            return new InvalidName<>(i.reason());
        }
        return new TempError<>(((TempError<T>) this).reason());
    }
}
