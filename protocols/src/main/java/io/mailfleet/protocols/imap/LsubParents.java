package io.mailfleet.protocols.imap;

import io.mailfleet.core.mailbox.FolderInfo;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code \Noselect} lines of LSUB (RFC 3501 §6.3.9): when a subscribed mailbox does not match
 * the pattern but one of its parents does (LSUB "" "%" with only "foo/bar" subscribed), the parent is
 * listed, flagged {@code \Noselect}, unless it is subscribed itself and so listed already.
 */
public final class LsubParents {

    private LsubParents() {
    }

    public static SortedSet<String> of(List<FolderInfo> folders, List<Pattern> patterns, char delimiter) {
        Set<String> subscribed = new HashSet<>();
        folders.stream().filter(FolderInfo::subscribed).forEach(f -> subscribed.add(f.name()));
        SortedSet<String> out = new TreeSet<>();
        for (String name : subscribed) {
            if (matches(patterns, name)) {
                continue;
            }
            int at = name.indexOf(delimiter);
            while (at > 0) {
                String parent = name.substring(0, at);
                if (!subscribed.contains(parent) && matches(patterns, parent)) {
                    out.add(parent);
                }
                at = name.indexOf(delimiter, at + 1);
            }
        }
        return out;
    }

    private static boolean matches(List<Pattern> patterns, String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }
}
