package io.mailfleet.server.dns;

import io.mailfleet.core.dkim.DkimRotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DKIM records a domain should publish: the {@code <selector>.txt} files that {@code ./mailfleet config dkim}
 * writes next to each private key ({@code <dkim-dir>/keys/<domain>/}), as OpenDKIM's tools do. Reads files:
 * call it off the request threads. The web UI's domains page and {@link RecommendedRecords} both show them.
 */
public final class DkimRecords {

    private final Path dir;

    public DkimRecords(Path dkimDir) {
        this.dir = dkimDir;
    }

    /** What a key does now: signs the domain's mail, waits for a rotation's confirmation, or neither (old or extra). */
    public enum Role { SIGNING, PENDING, NOT_SIGNING }

    /** One published key: its DNS name, the record text as the file holds it, and its role. */
    public record Record(String name, String text, Role role) {
    }

    /** The domains that have a key directory ({@code <dkim-dir>/keys/<domain>/}), sorted; none when unreadable. */
    public List<String> domains() {
        List<String> out = new ArrayList<>();
        Path keys = dir.resolve("keys");
        if (!Files.isDirectory(keys)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(keys, Files::isDirectory)) {
            dirs.forEach(d -> out.add(d.getFileName().toString()));
        } catch (IOException e) {
            return out;
        }
        out.sort(String::compareTo);
        return out;
    }

    /** The records of {@code domain}, by selector; none when the domain has no key or is not a plain domain name. */
    public List<Record> of(String domain) {
        List<Record> out = new ArrayList<>();
        if (!domain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") || domain.contains("..")) {
            return out;
        }
        Path keys = dir.resolve("keys").resolve(domain);
        if (!Files.isDirectory(keys)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keys, "*.txt")) {
            Optional<String> signing = DkimRotation.signingSelector(dir, domain);
            for (Path f : files) {
                String name = f.getFileName().toString();
                String selector = name.substring(0, name.length() - 4);
                Role role = DkimRotation.isPending(dir, domain, selector) ? Role.PENDING
                        : signing.filter(selector::equals).isPresent() ? Role.SIGNING : Role.NOT_SIGNING;
                out.add(new Record(selector + "._domainkey." + domain,
                        Files.readString(f, StandardCharsets.US_ASCII).strip(), role));
            }
        } catch (IOException e) {
            out.add(new Record("(unreadable)", keys + ": " + e.getMessage(), Role.NOT_SIGNING));
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }
}
