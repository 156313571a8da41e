package io.mailfleet.protocols.flow;

/** A consumer that can say whether it takes more input now and call back once it does again. */
public interface Demand {

    /** True when the consumer takes more input now. */
    boolean hasDemand();

    /**
     * Runs {@code signal} once, on any thread, as soon as {@link #hasDemand()} is true (at once if it
     * already is); a later registration replaces an earlier one not yet run.
     */
    void onDemand(Runnable signal);
}
