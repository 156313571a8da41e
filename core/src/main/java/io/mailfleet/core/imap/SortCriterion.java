package io.mailfleet.core.imap;

/** One SORT key of RFC 5256 with its REVERSE flag. */
public record SortCriterion(Key key, boolean reverse) {

    /** The RFC 5256 sort keys. */
    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO }
}
