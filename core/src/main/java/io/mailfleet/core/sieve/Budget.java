package io.mailfleet.core.sieve;

/** Step and wall-clock budget of one run; regex and glob matching read characters through it. */
final class Budget {
    private final long maxSteps;
    private final long deadline;
    private long steps;

    Budget(SieveLimits limits) {
        this.maxSteps = limits.maxSteps();
        this.deadline = System.nanoTime() + limits.maxRunTime().toNanos();
    }

    void step(int line) {
        if (++steps > maxSteps) {
            throw new SieveRuntimeException(line, "script exceeded its budget of " + maxSteps + " evaluation steps");
        }
        if ((steps & 1023) == 0 && System.nanoTime() > deadline) {
            throw new SieveRuntimeException(line, "script exceeded its run time limit");
        }
    }

    /** A view of {@code s} whose every character read costs one step: bounds regex backtracking. */
    CharSequence metered(String s, int line) {
        return new Metered(s, this, line);
    }

    private record Metered(String s, Budget budget, int line) implements CharSequence {
        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            budget.step(line);
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Metered(s.substring(start, end), budget, line);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
