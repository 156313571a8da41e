package io.mailfleet.server.admin;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange.RestrictionKind;
import io.mailfleet.server.config.QuotaSettings;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryAdminTest {

    static final PasswordHasher SHA512 = PasswordHasher.forScheme("SHA512-CRYPT");

    private final InMemoryDirectoryService dir = new InMemoryDirectoryService();
    private final Map<String, Long> used = new java.util.HashMap<>();
    private final DirectoryAdmin admin = new DirectoryAdmin(dir, SHA512, a -> used.getOrDefault(a, 0L),
            new QuotaSettings(true, 0));

    private static <T> T ok(CompletionStage<T> s) {
        return s.toCompletableFuture().join();
    }

    private static AdminException fails(CompletionStage<?> s) {
        CompletionException e = assertThrows(CompletionException.class, () -> s.toCompletableFuture().join());
        assertTrue(e.getCause() instanceof AdminException, String.valueOf(e.getCause()));
        return (AdminException) e.getCause();
    }

    @Test
    void addAccountHashesAndLowerCasesWithWarning() {
        ChangeResult r = ok(admin.addAccount("User@Example.COM", "secret"));
        assertEquals("user@example.com", r.address());
        assertEquals(List.of("Mail account 'User@Example.COM' has uppercase letters and will be normalized to 'user@example.com'"),
                r.warnings());
        String hash = dir.view().account("user@example.com").orElseThrow().passwordHash();
        assertTrue(hash.startsWith("{SHA512-CRYPT}$6$"), hash);
        // cross-check with commons-codec's independent crypt(3) implementation
        assertEquals(hash.substring("{SHA512-CRYPT}".length()),
                Sha2Crypt.sha512Crypt("secret".getBytes(StandardCharsets.UTF_8), hash.substring("{SHA512-CRYPT}".length())));
        assertTrue(PasswordSchemes.verify("secret", hash));
    }

    @Test
    void blowfishSchemeIsConfigurable() {
        DirectoryAdmin blf = new DirectoryAdmin(dir, PasswordHasher.forScheme("BLF-CRYPT"), a -> 0, new QuotaSettings(true, 0));
        ok(blf.addAccount("b@example.com", "pw"));
        String hash = dir.view().account("b@example.com").orElseThrow().passwordHash();
        assertTrue(hash.startsWith("{BLF-CRYPT}$2"), hash);
        assertTrue(PasswordSchemes.verify("pw", hash));
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.forScheme("ROT13"));
    }

    @Test
    void addAccountErrors() {
        ok(admin.addAccount("a@example.com", "pw"));
        ok(admin.addAlias("alias@example.com", "a@example.com"));
        AdminException e = fails(admin.addAccount("a@example.com", "pw"));
        assertEquals("'a@example.com' already exists", e.getMessage());
        assertEquals(409, e.httpStatus());
        e = fails(admin.addAccount("alias@example.com", "pw"));
        assertEquals("'alias@example.com' is already defined as an alias", e.getMessage());
        e = fails(admin.addAccount("nodomain", "pw"));
        assertEquals("'nodomain' should include the domain (eg: user@example.com)", e.getMessage());
        assertEquals(400, e.httpStatus());
        e = fails(admin.addAccount("b@example.com", ""));
        assertEquals("Password must not be empty", e.getMessage());
        e = fails(admin.addAccount("bad user@example.com", "pw"));
        assertEquals("invalid-address", e.code());
        e = fails(admin.addAccount("x@exa_mple..com", "pw"));
        assertEquals("invalid-address", e.code());
        assertEquals(2, dir.applied().size(), "refused operations change nothing");
    }

    @Test
    void updatePassword() {
        AdminException e = fails(admin.updatePassword("nobody@example.com", "pw"));
        assertEquals("'nobody@example.com' does not exist", e.getMessage());
        assertEquals(404, e.httpStatus());
        ok(admin.addAccount("a@example.com", "one"));
        String before = dir.view().account("a@example.com").orElseThrow().passwordHash();
        ok(admin.updatePassword("A@example.com", "two"));
        String after = dir.view().account("a@example.com").orElseThrow().passwordHash();
        assertFalse(before.equals(after));
        assertEquals("Password must not be empty", fails(admin.updatePassword("a@example.com", "")).getMessage());
    }

    @Test
    void deleteRemovesAliasReferencesEverywhereAndQuota() {
        ok(admin.addAccount("a@example.com", "pw"));
        ok(admin.addAccount("b@example.com", "pw"));
        ok(admin.addAlias("team@example.com", "a@example.com,b@example.com"));
        ok(admin.addAlias("solo@other.org", "a@example.com"));
        ok(admin.addAlias("@catch.net", "a@example.com"));
        ok(admin.setQuota("a@example.com", "10M"));
        ok(admin.restrict(RestrictionKind.SEND, "a@example.com"));
        ok(admin.deleteAccount("a@example.com"));
        assertTrue(dir.view().account("a@example.com").isEmpty());
        assertEquals(List.of("b@example.com"), dir.view().aliasTargets("team@example.com"));
        assertEquals(List.of(), dir.view().aliasTargets("solo@other.org"));
        assertEquals(List.of(), dir.view().aliasTargets("@catch.net"));
        assertEquals(Optional.empty(), dir.view().quota("a@example.com"));
        assertEquals(List.of(), admin.listRestricted(RestrictionKind.SEND));
        assertEquals("'a@example.com' does not exist", fails(admin.deleteAccount("a@example.com")).getMessage());
    }

    @Test
    void listShowsQuotaUsageAndAliases() {
        ok(admin.addAccount("b@example.com", "pw"));
        ok(admin.addAccount("a@example.com", "pw"));
        ok(admin.setQuota("a@example.com", "10M"));
        ok(admin.addAlias("x@example.com", "a@example.com"));
        ok(admin.addAlias("y@other.org", "A@example.com"));
        used.put("a@example.com", 2L * 1024 * 1024 + 1);
        List<AccountInfo> list = admin.listAccounts();
        assertEquals(2, list.size());
        assertEquals(new AccountInfo("a@example.com", Optional.of(new QuotaUsage(2L * 1024 * 1024 + 1, 10L * 1024 * 1024, 20)),
                List.of("x@example.com", "y@other.org")), list.get(0));
        assertEquals(new AccountInfo("b@example.com", Optional.of(new QuotaUsage(0, 0, 0)), List.of()), list.get(1));
        DirectoryAdmin noQuota = new DirectoryAdmin(dir, SHA512, a -> 0, new QuotaSettings(false, 0));
        assertEquals(Optional.empty(), noQuota.listAccounts().get(0).quota());
        DirectoryAdmin withDefault = new DirectoryAdmin(dir, SHA512, a -> 512, new QuotaSettings(true, 1024));
        assertEquals(new QuotaUsage(512, 1024, 50), withDefault.listAccounts().get(1).quota().orElseThrow());
    }

    @Test
    void aliases() {
        ok(admin.addAccount("a@example.com", "pw"));
        ok(admin.addAlias("al@example.com", "a@example.com"));
        ok(admin.addAlias("al@example.com", "ext@gmail.com"));
        assertEquals(List.of(new AliasInfo("al@example.com", List.of("a@example.com", "ext@gmail.com"))), admin.listAliases());
        AdminException e = fails(admin.addAlias("al@example.com", "a@example.com"));
        assertEquals("'al@example.com' is already an alias for recipient: 'a@example.com'", e.getMessage());
        e = fails(admin.addAlias("a@example.com", "x@example.com"));
        assertEquals("'a@example.com' is already defined as an account", e.getMessage());
        assertEquals("No recipient specified", fails(admin.addAlias("z@example.com", " ")).getMessage());
        assertEquals("invalid-address", fails(admin.addAlias("z@example.com", "garbage")).code());
        ok(admin.removeAlias("al@example.com", "a@example.com"));
        assertEquals(List.of("ext@gmail.com"), dir.view().aliasTargets("al@example.com"));
        assertFalse(ok(admin.removeAlias("al@example.com", "missing@example.com")).changed());
        ok(admin.removeAlias("al@example.com", "ext@gmail.com"));
        assertEquals(List.of(), admin.listAliases());
    }

    @Test
    void quotas() {
        assertEquals("'a@example.com' does not exist", fails(admin.setQuota("a@example.com", "1G")).getMessage());
        ok(admin.addAccount("a@example.com", "pw"));
        for (String bad : List.of("10", "10m", "1.5G", "-1", "10 M", "G")) {
            AdminException e = fails(admin.setQuota("a@example.com", bad));
            assertEquals(DirectoryAdmin.INVALID_QUOTA, e.getMessage(), bad);
            assertEquals("invalid-quota", e.code());
        }
        ok(admin.setQuota("a@example.com", "2k"));
        assertEquals(Optional.of(2048L), dir.view().quota("a@example.com"));
        ok(admin.setQuota("a@example.com", "0"));
        assertEquals(Optional.of(0L), dir.view().quota("a@example.com"));
        ok(admin.deleteQuota("a@example.com"));
        assertEquals(Optional.empty(), dir.view().quota("a@example.com"));
        assertFalse(ok(admin.deleteQuota("a@example.com")).changed());
        assertEquals("'b@example.com' does not exist", fails(admin.deleteQuota("b@example.com")).getMessage());
    }

    @Test
    void restrictions() {
        assertEquals(List.of(), admin.listRestricted(RestrictionKind.RECEIVE));
        ok(admin.restrict(RestrictionKind.RECEIVE, "x@example.com"));
        AdminException e = fails(admin.restrict(RestrictionKind.RECEIVE, "x@example.com"));
        assertEquals("User 'x@example.com' already denied to receive mails", e.getMessage());
        ok(admin.restrict(RestrictionKind.SEND, "y@example.com"));
        assertEquals(List.of("x@example.com"), admin.listRestricted(RestrictionKind.RECEIVE));
        assertEquals(List.of("y@example.com"), admin.listRestricted(RestrictionKind.SEND));
        ok(admin.unrestrict(RestrictionKind.RECEIVE, "x@example.com"));
        assertFalse(ok(admin.unrestrict(RestrictionKind.RECEIVE, "x@example.com")).changed());
        assertEquals(List.of(), admin.listRestricted(RestrictionKind.RECEIVE));
    }

    @Test
    void domains() {
        ok(admin.addAccount("a@example.com", "pw"));
        ok(admin.addAlias("x@other.org", "a@example.com"));
        assertEquals(List.of(new DomainInfo("example.com", 1, 0), new DomainInfo("other.org", 0, 1)), admin.domains());
    }
}
