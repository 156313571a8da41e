package io.mailfleet.server.dkim;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimRotation;
import io.mailfleet.server.config.DkimRotationSettings;
import io.mailfleet.server.dns.DnsCheck;
import io.mailfleet.server.dns.DnsRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One pass of the automatic DKIM rotation steps over the OpenDKIM directory: a pending rotation (as
 * {@code config dkim rotate} leaves it) switches once it is older than {@code switch-after} and the
 * node's resolver answers its TXT record as printed; a key a switch replaced is retired
 * {@code retire-after} later. Each step is a file change of {@link DkimRotation}, taken under an
 * exclusive lock on {@code <dkim-dir>/.rotation.lock} and re-checked under it, so nodes sharing the
 * directory never apply a step twice. Not thread-safe: one schedule thread runs it.
 */
public final class DkimRotationCheck {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.dkim-rotation");
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(30);

    /** What a pass did, for the caller's log and tests. */
    public record Step(String domain, String selector, String action) {
    }

    private final Path dir;
    private final DkimRotationSettings settings;
    private final DnsCheck dns;
    private final Clock clock;
    /** Conditions already logged, so a pass every few minutes does not repeat them. */
    private final Set<String> told = new HashSet<>();

    public DkimRotationCheck(Path dkimDir, DkimRotationSettings settings, DnsCheck dns, Clock clock) {
        this.dir = dkimDir;
        this.settings = settings;
        this.dns = dns;
        this.clock = clock;
    }

    /** Runs the due steps of every domain; none while another process holds the directory's lock. */
    public List<Step> run() throws IOException, InterruptedException {
        List<Step> done = new ArrayList<>();
        if (!Files.isDirectory(dir.resolve("keys"))) {
            return done;
        }
        Path lockFile = dir.resolve(".rotation.lock");
        createPrivate(lockFile);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                LOG.debug("DKIM rotation check skipped: {} is locked by another node", lockFile);
                return done;
            }
            try (lock) {
                for (String domain : DkimRotation.domains(dir)) {
                    switchIfDue(domain).ifPresent(done::add);
                    done.addAll(retireDue(domain));
                }
            }
        }
        return done;
    }

    /** The directory's lock, or null while another process (or another node in this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            return null;
        }
    }

    private Optional<Step> switchIfDue(String domain) throws IOException, InterruptedException {
        Optional<String> pending = DkimRotation.pendingSelector(dir, domain);
        if (pending.isEmpty() || !settings.switches()) {
            return Optional.empty();
        }
        String selector = pending.get();
        Optional<Instant> started = DkimRotation.startedAt(dir, domain, selector);
        if (started.isEmpty()) {
            return Optional.empty();
        }
        Instant due = started.get().plus(settings.switchAfter());
        String name = selector + "._domainkey." + domain;
        if (clock.instant().isBefore(due)) {
            tellOnce("waiting " + name, "DKIM rotation of {} to selector '{}' pending since {}: it switches at {} or later,"
                    + " once DNS answers the TXT record at {}", domain, selector, started.get(), due, name);
            return Optional.empty();
        }
        String record;
        try {
            record = DkimKeys.recordFromZoneFileText(Files.readString(
                    dir.resolve("keys").resolve(domain).resolve(selector + ".txt"), StandardCharsets.US_ASCII));
        } catch (IOException | DkimException e) {
            tellOnce("unreadable " + name, "DKIM rotation of {} to selector '{}' cannot switch by itself: its record"
                    + " file is unreadable ({}); confirm it with ./mailfleet config dkim rotate {} --confirm", domain,
                    selector, e.getMessage(), domain);
            return Optional.empty();
        }
        DnsCheck.Result seen = lookUp(new DnsRecord(name, "TXT", record, "new DKIM key"));
        if (seen.status() != DnsCheck.Status.OK) {
            String why = switch (seen.status()) {
                case MISSING -> "no such record";
                case DIFFERENT -> "another value: " + String.join(" | ", seen.found());
                default -> "DNS did not answer: " + seen.detail();
            };
            tellOnce("unpublished " + name + " " + seen.status(), "DKIM rotation of {} to selector '{}' is due (pending since {})"
                    + " but DNS does not answer its TXT record as printed ({}); the old key keeps signing", domain,
                    selector, started.get(), why);
            return Optional.empty();
        }
        if (!DkimRotation.isPending(dir, domain, selector)) {
            return Optional.empty(); // confirmed by command while DNS was asked
        }
        Optional<String> old = DkimRotation.confirm(dir, domain, selector, clock.instant());
        LOG.info("DKIM rotation of {}: switched signing from selector '{}' to '{}' (pending since {}, TXT record at {}"
                        + " answered by DNS); {}", domain, old.orElse("(none)"), selector, started.get(), name,
                old.filter(o -> !o.equals(selector)).map(o -> settings.retires()
                        ? "the old key is retired " + DkimRotationSettings.text(settings.retireAfter())
                        + " after the switch: keep its record published until then"
                        : "keep the old record published for at least 7 days, then run ./mailfleet config dkim retire "
                        + domain + " " + o).orElse("no old key to retire"));
        return Optional.of(new Step(domain, selector, "switched"));
    }

    private List<Step> retireDue(String domain) throws IOException {
        List<Step> done = new ArrayList<>();
        if (!settings.retires()) {
            return done;
        }
        for (DkimRotation.Superseded s : DkimRotation.superseded(dir, domain)) {
            if (DkimRotation.signingSelector(dir, domain).filter(s.selector()::equals).isPresent()) {
                DkimRotation.keep(dir, domain, s.selector());
                LOG.info("DKIM key '{}' of {} signs again (SigningTable names it): it is no longer retired automatically",
                        s.selector(), domain);
                continue;
            }
            if (clock.instant().isBefore(s.at().plus(settings.retireAfter()))) {
                continue;
            }
            List<String> sharing = DkimRotation.otherKeysUsingFile(dir, domain, s.selector());
            if (!sharing.isEmpty()) {
                tellOnce("shared " + domain + " " + s.selector(), "DKIM key '{}' of {} not retired automatically: KeyTable"
                        + " entries {} sign with the same key file", s.selector(), domain, sharing);
                continue;
            }
            try {
                DkimRotation.retire(dir, domain, s.selector());
            } catch (DkimException e) {
                tellOnce("retire " + domain + " " + s.selector(), "DKIM key '{}' of {} not retired: {}", s.selector(), domain,
                        e.getMessage());
                continue;
            }
            LOG.info("DKIM key '{}' of {} retired ({} after the switch to '{}' at {}): private key and record file deleted;"
                            + " remove the TXT record at {}._domainkey.{} from DNS", s.selector(), domain,
                    DkimRotationSettings.text(settings.retireAfter()), s.by(), s.at(), s.selector(), domain);
            done.add(new Step(domain, s.selector(), "retired"));
        }
        return done;
    }

    private DnsCheck.Result lookUp(DnsRecord wanted) throws InterruptedException {
        try {
            return dns.check(List.of(wanted)).toCompletableFuture().get(DNS_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(0);
        } catch (ExecutionException | TimeoutException e) {
            return new DnsCheck.Result(wanted, DnsCheck.Status.UNANSWERED, List.of(), e.toString());
        }
    }

    private void tellOnce(String key, String format, Object... args) {
        if (told.add(key)) {
            LOG.info(format, args);
        }
    }

    /** The lock file, created 0600 once (never replaced: a process may hold a lock on it). */
    private static void createPrivate(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            // another node created it first
        } catch (UnsupportedOperationException notPosix) {
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException raced) {
                // another node created it first
            }
        }
    }
}
