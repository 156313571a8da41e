package io.mailfleet.server.dms;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryException;
import io.mailfleet.core.directory.QuotaSize;
import io.mailfleet.core.directory.RegexAlias;
import io.mailfleet.core.dms.AccessFile;
import io.mailfleet.core.dms.AccountsFile;
import io.mailfleet.core.dms.DmsEditException;
import io.mailfleet.core.dms.DmsLines;
import io.mailfleet.core.dms.QuotasFile;
import io.mailfleet.core.dms.RegexpAliasFile;
import io.mailfleet.core.dms.VirtualAliasFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Writes a directory change into the docker-mailserver files, the way {@code setup} does, so that
 * in DMS mode the files stay the single source of truth and a later reload agrees with the API.
 */
final class DmsFileEditor {

    private final Path dir;

    DmsFileEditor(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes {@code change}; {@code before} is the list of regular-expression aliases the change was made from
     * (the directory's view), so that only the lines of the aliases it changes are touched.
     */
    void write(DirectoryChange change, List<RegexAlias> before) {
        String a = change.address();
        try {
            if (change instanceof DirectoryChange.AddAccount add) {
                edit(AccountsFile.NAME, l -> AccountsFile.add(l, a, add.passwordHash()));
            } else if (change instanceof DirectoryChange.UpdatePassword u) {
                edit(AccountsFile.NAME, l -> AccountsFile.updatePassword(l, a, u.passwordHash()));
            } else if (change instanceof DirectoryChange.DeleteAccount) {
                edit(AccountsFile.NAME, l -> AccountsFile.remove(l, a));
                edit(QuotasFile.NAME, l -> QuotasFile.remove(l, a));
                edit(AccessFile.SEND, l -> AccessFile.remove(l, a));
                edit(AccessFile.RECEIVE, l -> AccessFile.remove(l, a));
            } else if (change instanceof DirectoryChange.AddAlias al) {
                edit(VirtualAliasFile.NAME, l -> VirtualAliasFile.addTarget(l, a, al.target()));
            } else if (change instanceof DirectoryChange.RemoveAlias r) {
                edit(VirtualAliasFile.NAME, l -> VirtualAliasFile.removeTarget(l, a, r.target()));
            } else if (change instanceof DirectoryChange.SetQuota q) {
                edit(QuotasFile.NAME, l -> QuotasFile.set(l, a, QuotaSize.format(q.bytes())));
            } else if (change instanceof DirectoryChange.DeleteQuota) {
                edit(QuotasFile.NAME, l -> QuotasFile.remove(l, a));
            } else if (change instanceof DirectoryChange.Restrict r) {
                String file = r.kind() == DirectoryChange.RestrictionKind.SEND ? AccessFile.SEND : AccessFile.RECEIVE;
                edit(file, l -> r.denied() ? AccessFile.add(l, a) : AccessFile.remove(l, a));
            } else if (change instanceof DirectoryChange.ReplaceRegexAliases r) {
                edit(RegexpAliasFile.NAME, l -> regexAliases(l, before, r.aliases()));
            } else {
                throw new DirectoryException("unsupported", "unknown change " + change.getClass().getSimpleName());
            }
        } catch (DmsEditException e) {
            throw new DirectoryException("invalid", e.getMessage());
        }
    }

    /** Removes the lines of the aliases gone from {@code before}, then puts those new or changed in {@code after}. */
    private static List<String> regexAliases(List<String> lines, List<RegexAlias> before, List<RegexAlias> after) {
        Set<String> kept = new HashSet<>();
        after.forEach(a -> kept.add(a.pattern()));
        List<String> out = lines;
        for (RegexAlias old : before) {
            if (!kept.contains(old.pattern())) {
                out = RegexpAliasFile.remove(out, old.pattern());
            }
        }
        for (RegexAlias a : after) {
            if (!before.contains(a)) {
                out = RegexpAliasFile.put(out, a.pattern(), a.targets());
            }
        }
        return out;
    }

    private void edit(String name, UnaryOperator<List<String>> change) {
        Path file = dir.resolve(name);
        try {
            List<String> lines = Files.exists(file) ? DmsLines.read(file) : List.of();
            List<String> next = change.apply(lines);
            if (!next.equals(lines)) {
                DmsLines.write(file, next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }
}
