package io.mailfleet.core.directory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds {@link DirectoryView}s for tests from short declarations. */
final class TestDirectory {
    private final Map<String, Map<String, Account>> accounts = new HashMap<>();
    private final Map<String, Map<String, List<String>>> aliases = new HashMap<>();
    private final List<RegexAlias> regex = new ArrayList<>();

    static TestDirectory create() {
        return new TestDirectory();
    }

    TestDirectory account(String address) {
        accounts.computeIfAbsent(domain(address), d -> new LinkedHashMap<>())
                .put(address, new Account(address, "{PLAIN}x"));
        return this;
    }

    TestDirectory alias(String source, String... targets) {
        aliases.computeIfAbsent(domain(source), d -> new LinkedHashMap<>()).put(source, Arrays.asList(targets));
        return this;
    }

    TestDirectory regex(String pattern, String... targets) {
        regex.add(new RegexAlias(pattern, Arrays.asList(targets)));
        return this;
    }

    DirectoryView view() {
        Set<String> domains = new java.util.TreeSet<>(accounts.keySet());
        domains.addAll(aliases.keySet());
        List<DomainDirectory> dirs = new ArrayList<>();
        for (String d : domains) {
            dirs.add(new DomainDirectory(d, accounts.getOrDefault(d, Map.of()), aliases.getOrDefault(d, Map.of()),
                    Map.of(), Set.of(), Set.of()));
        }
        return DirectoryView.of(dirs, regex);
    }

    private static String domain(String a) {
        return a.substring(a.lastIndexOf('@') + 1);
    }
}
