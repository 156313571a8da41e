package io.mailfleet.server.admin;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.RegexAlias;
import io.mailfleet.core.dms.ConfigProblem;
import io.mailfleet.core.dms.ParseResult;
import io.mailfleet.core.dms.RegexpAliasFile;
import io.mailfleet.core.service.DirectoryService;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Adds and removes the regular-expression aliases ({@code postfix-regexp.cf}, tried in order after the plain
 * aliases). An entry is checked by the parser that reads the file, so what is accepted here loads the same way
 * after a restart. The change replaces the whole list through the directory: in docker-mailserver mode that
 * edits the file line by line (comments and the other lines stay), otherwise the directory entity keeps it.
 */
public final class RegexAliasAdmin {

    private final DirectoryService directory;

    public RegexAliasAdmin(DirectoryService directory) {
        this.directory = directory;
    }

    /** The aliases in the order they are tried. */
    public List<RegexAlias> list() {
        return directory.view().regexAliases();
    }

    /**
     * Adds {@code /pattern/flags} with {@code targets} (addresses, or {@code $1}-style templates, separated by
     * commas or spaces) at the end, or replaces the targets of the same pattern where it is listed.
     */
    public CompletionStage<ChangeResult> put(String pattern, String targets) {
        RegexAlias alias;
        try {
            alias = check(pattern, targets);
        } catch (AdminException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<RegexAlias> next = new ArrayList<>(list());
        int at = indexOf(next, alias.pattern());
        if (at >= 0) {
            next.set(at, alias);
        } else {
            next.add(alias);
        }
        return replace(next, alias.pattern());
    }

    /** Removes the alias of {@code pattern} (as listed); a pattern that is not listed is refused. */
    public CompletionStage<ChangeResult> remove(String pattern) {
        String p = pattern == null ? "" : pattern.strip();
        List<RegexAlias> next = new ArrayList<>(list());
        int at = indexOf(next, p);
        if (at < 0) {
            return CompletableFuture.failedFuture(AdminException.notFound("no regular-expression alias " + p));
        }
        next.remove(at);
        return replace(next, p);
    }

    /** The entry as the file's parser reads the line {@code pattern targets}; its first complaint otherwise. */
    static RegexAlias check(String pattern, String targets) {
        String p = pattern == null ? "" : pattern.strip();
        String t = targets == null ? "" : targets.strip();
        if (p.isEmpty()) {
            throw AdminException.badRequest("missing-argument", "No pattern specified");
        }
        if (t.isEmpty()) {
            throw AdminException.badRequest("missing-argument", "No target specified");
        }
        if (p.contains("\n") || p.contains("\r") || t.contains("\n") || t.contains("\r")) {
            throw AdminException.badRequest("invalid-regexp", "a regexp alias is one line: no line breaks");
        }
        ParseResult<RegexAlias> parsed = RegexpAliasFile.parse(List.of(p + " " + t));
        if (!parsed.problems().isEmpty()) {
            ConfigProblem first = parsed.problems().get(0);
            throw AdminException.badRequest("invalid-regexp", first.message());
        }
        if (parsed.entries().size() != 1 || !parsed.entries().get(0).pattern().equals(p)) {
            throw AdminException.badRequest("invalid-regexp", "'" + p + "' is not one /pattern/flags (no spaces after"
                    + " the closing delimiter)");
        }
        return parsed.entries().get(0);
    }

    private CompletionStage<ChangeResult> replace(List<RegexAlias> next, String pattern) {
        CompletionStage<Void> stage;
        try {
            stage = directory.apply(new DirectoryChange.ReplaceRegexAliases(next));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(DirectoryAdmin.mapFailure(e, pattern));
        }
        return stage.handle((v, err) -> {
            if (err != null) {
                throw new CompletionException(DirectoryAdmin.mapFailure(err, pattern));
            }
            return ChangeResult.changed(pattern, List.of());
        });
    }

    private static int indexOf(List<RegexAlias> aliases, String pattern) {
        for (int i = 0; i < aliases.size(); i++) {
            if (aliases.get(i).pattern().equals(pattern)) {
                return i;
            }
        }
        return -1;
    }
}
