package io.mailfleet.core.dms;

import io.mailfleet.core.directory.RegexAlias;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Loads the directory files of a docker-mailserver config directory ({@code /tmp/docker-mailserver}). */
public final class DmsConfigDirectory {

    /** The files read, in load order. */
    public static final List<String> FILES = List.of(AccountsFile.NAME, VirtualAliasFile.NAME, RegexpAliasFile.NAME,
            QuotasFile.NAME, AccessFile.SEND, AccessFile.RECEIVE);

    private DmsConfigDirectory() {
    }

    /**
     * Reads and parses every directory file; missing files are empty. Never throws for file content:
     * malformed lines and unreadable files are reported in {@link DmsConfig#problems()}. Quotas for
     * addresses that are not accounts are reported and dropped, as {@code setup quota set} refuses them.
     *
     * @throws IllegalArgumentException when {@code dir} is not a directory
     */
    public static DmsConfig load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("docker-mailserver config directory " + dir + " does not exist");
        }
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, DmsFingerprint.Stamp> stamps = new LinkedHashMap<>();
        MessageDigest sha = sha256();
        for (String name : FILES) {
            Path file = dir.resolve(name);
            stamps.put(name, stamp(file));
            byte[] bytes = new byte[0];
            try {
                if (Files.exists(file)) {
                    bytes = Files.readAllBytes(file);
                }
            } catch (IOException e) {
                problems.add(new ConfigProblem(name, 0, "", "cannot read: " + e));
            }
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
            lines.put(name, DmsLines.split(new String(bytes, StandardCharsets.UTF_8)));
        }
        ParseResult<AccountEntry> accounts = AccountsFile.parse(lines.get(AccountsFile.NAME));
        ParseResult<AliasEntry> aliases = VirtualAliasFile.parse(lines.get(VirtualAliasFile.NAME));
        ParseResult<RegexAlias> regex = RegexpAliasFile.parse(lines.get(RegexpAliasFile.NAME));
        ParseResult<QuotaEntry> quotas = QuotasFile.parse(lines.get(QuotasFile.NAME));
        ParseResult<String> send = AccessFile.parse(AccessFile.SEND, lines.get(AccessFile.SEND));
        ParseResult<String> receive = AccessFile.parse(AccessFile.RECEIVE, lines.get(AccessFile.RECEIVE));
        problems.addAll(accounts.problems());
        problems.addAll(aliases.problems());
        problems.addAll(regex.problems());
        problems.addAll(quotas.problems());
        problems.addAll(send.problems());
        problems.addAll(receive.problems());

        Set<String> accountKeys = accounts.entries().stream().map(AccountEntry::address).collect(Collectors.toSet());
        List<QuotaEntry> validQuotas = new ArrayList<>();
        for (QuotaEntry q : quotas.entries()) {
            if (accountKeys.contains(q.address())) {
                validQuotas.add(q);
            } else {
                List<String> ql = lines.get(QuotasFile.NAME);
                int n = lineOf(ql, q.address());
                problems.add(new ConfigProblem(QuotasFile.NAME, n, n > 0 ? ql.get(n - 1) : "",
                        "quota for " + q.address() + " ignored: no such account"));
            }
        }
        return new DmsConfig(accounts.entries(), aliases.entries(), regex.entries(), validQuotas,
                send.entries(), receive.entries(), problems,
                new DmsFingerprint(stamps, HexFormat.of().formatHex(sha.digest())));
    }

    /** Sizes and modification times of the directory files: one stat each, for cheap change polling. */
    public static Map<String, DmsFingerprint.Stamp> stamps(Path dir) {
        Map<String, DmsFingerprint.Stamp> out = new LinkedHashMap<>();
        for (String name : FILES) {
            out.put(name, stamp(dir.resolve(name)));
        }
        return out;
    }

    private static DmsFingerprint.Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new DmsFingerprint.Stamp(a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return DmsFingerprint.Stamp.MISSING;
        } catch (IOException e) {
            return new DmsFingerprint.Stamp(-2, -2);
        }
    }

    private static int lineOf(List<String> lines, String address) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip().toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith(address + ":") || l.startsWith(address + " ")) {
                return i + 1;
            }
        }
        return 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
