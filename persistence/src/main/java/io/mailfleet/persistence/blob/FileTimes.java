package io.mailfleet.persistence.blob;

import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a file's timestamp into a time no earlier than the write it records. Filesystems stamp
 * files from a coarse clock that lags the precise one by some milliseconds, or keep only whole (FAT:
 * even) seconds; a listing that must never make a young blob look old adds this slack.
 */
final class FileTimes {

    static final Duration SLACK = Duration.ofSeconds(2);

    private FileTimes() {
    }

    /** The latest of {@code lowerBound} and each file time plus the slack. */
    static Instant upperBound(Instant lowerBound, FileTime... times) {
        Instant result = lowerBound;
        for (FileTime t : times) {
            if (t != null) {
                Instant up = t.toInstant().plus(SLACK);
                if (up.isAfter(result)) {
                    result = up;
                }
            }
        }
        return result;
    }
}
