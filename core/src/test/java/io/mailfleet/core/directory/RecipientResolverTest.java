package io.mailfleet.core.directory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipientResolverTest {

    private static final ResolverOptions OPTS = ResolverOptions.defaults();

    private static Resolution resolve(DirectoryView v, String address) {
        return RecipientResolver.resolve(v, address, OPTS);
    }

    private static LocalTarget lt(String account, String detail) {
        return new LocalTarget(account, detail);
    }

    @Test
    void deliversToAnAccount() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").view();
        Resolution r = resolve(v, "User1@Example.COM");
        assertEquals("user1@example.com", r.address());
        assertEquals(List.of(lt("user1@example.com", null)), r.localAccounts());
        assertTrue(r.remoteAddresses().isEmpty());
        assertFalse(r.unknown() || r.foreignDomain() || r.loopDetected() || r.discard());
        assertTrue(r.deliverable());
        assertTrue(RecipientResolver.isDeliverable(v, "<user1@example.com>", OPTS));
    }

    @Test
    void subaddressDeliversToTheAccountWithDetail() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").view();
        Resolution r = resolve(v, "user1+news@example.com");
        assertEquals(List.of(lt("user1@example.com", "news")), r.localAccounts());
        assertEquals("user1+news@example.com", r.localAccounts().get(0).addressWithDetail('+'));
    }

    @Test
    void delimiterDisabledMakesPlusPartOfTheName() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").view();
        Resolution r = RecipientResolver.resolve(v, "user1+news@example.com", OPTS.withDelimiter(""));
        assertTrue(r.unknown());
        assertFalse(r.deliverable());
    }

    @Test
    void aliasPreservesDetailOfTheInput() {
        // docker-mailserver test: alias1~test -> user1~test
        DirectoryView v = TestDirectory.create().account("user1@localhost.localdomain")
                .alias("alias1@localhost.localdomain", "user1@localhost.localdomain").view();
        Resolution r = RecipientResolver.resolve(v, "alias1~test@localhost.localdomain", OPTS.withDelimiter("~"));
        assertEquals(List.of(lt("user1@localhost.localdomain", "test")), r.localAccounts());
        Resolution plain = resolve(v, "alias1@localhost.localdomain");
        assertEquals(List.of(lt("user1@localhost.localdomain", null)), plain.localAccounts());
    }

    @Test
    void severalDelimiterCharactersEachStartADetailAndTheUsedOneIsKept() {
        DirectoryView v = TestDirectory.create().account("user1@example.com")
                .alias("alias1@example.com", "user1@example.com", "friend@other.org").view();
        ResolverOptions o = OPTS.withDelimiter("+-");
        Resolution r = RecipientResolver.resolve(v, "alias1-a+b@example.com", o);
        assertEquals(List.of(lt("user1@example.com", "a+b")), r.localAccounts());
        assertEquals(List.of("friend-a+b@other.org"), r.remoteAddresses());
        // a leading delimiter is part of the name, not a detail
        assertTrue(RecipientResolver.resolve(v, "-user1@example.com", o).unknown());
    }

    @Test
    void exactAliasWithDetailWinsOverTheStrippedLookup() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").account("sales@example.com")
                .alias("user1+shop@example.com", "sales@example.com").view();
        assertEquals(List.of(lt("sales@example.com", null)), resolve(v, "user1+shop@example.com").localAccounts());
        assertEquals(List.of(lt("user1@example.com", "other")), resolve(v, "user1+other@example.com").localAccounts());
    }

    @Test
    void aliasFansOutToLocalAndRemoteWithoutDuplicates() {
        DirectoryView v = TestDirectory.create().account("a@example.com").account("b@example.com")
                .alias("team@example.com", "a@example.com", "B@example.com", "a@example.com", "x@gmail.com")
                .alias("all@example.com", "team@example.com", "a@example.com", "x@gmail.com").view();
        Resolution r = resolve(v, "all@example.com");
        assertEquals(List.of(lt("a@example.com", null), lt("b@example.com", null)), r.localAccounts());
        assertEquals(List.of("x@gmail.com"), r.remoteAddresses());
        assertFalse(r.foreignDomain());
        assertTrue(r.deliverable());
    }

    @Test
    void forwardOnlyAliasIsDeliverable() {
        DirectoryView v = TestDirectory.create().alias("alias2@example.com", "external-account@gmail.com").view();
        Resolution r = resolve(v, "alias2@example.com");
        assertTrue(r.localAccounts().isEmpty());
        assertEquals(List.of("external-account@gmail.com"), r.remoteAddresses());
        assertTrue(r.deliverable());
    }

    @Test
    void aliasesResolveRecursively() {
        DirectoryView v = TestDirectory.create().account("u@example.com")
                .alias("a@example.com", "b@example.com").alias("b@example.com", "c@example.org")
                .alias("c@example.org", "u@example.com").view();
        Resolution r = resolve(v, "a+x@example.com");
        assertEquals(List.of(lt("u@example.com", "x")), r.localAccounts());
        assertFalse(r.loopDetected());
    }

    @Test
    void unknownLocalUserIsUnknown() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").view();
        Resolution r = resolve(v, "nobody@example.com");
        assertTrue(r.unknown());
        assertFalse(r.foreignDomain());
        assertFalse(r.deliverable());
        assertFalse(RecipientResolver.isDeliverable(v, "nobody@example.com", OPTS));
    }

    @Test
    void foreignDomainIsForwardedNotUnknown() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").view();
        Resolution r = resolve(v, "someone@gmail.com");
        assertTrue(r.foreignDomain());
        assertFalse(r.unknown());
        assertEquals(List.of("someone@gmail.com"), r.remoteAddresses());
        assertFalse(r.deliverable());
    }

    @Test
    void aliasToMissingLocalMailboxIsKnownButNotDeliverable() {
        DirectoryView v = TestDirectory.create().account("user1@example.com")
                .alias("old@example.com", "gone@example.com").view();
        Resolution r = resolve(v, "old@example.com");
        assertFalse(r.unknown());
        assertEquals(List.of("gone@example.com"), r.undeliverable());
        assertFalse(r.deliverable());
    }

    @Test
    void catchAllTakesUnknownAddressesWithoutDetail() {
        DirectoryView v = TestDirectory.create().account("user1@example.com")
                .alias("@example.com", "user1@example.com").view();
        Resolution r = resolve(v, "whatever+tag@example.com");
        assertEquals(List.of(lt("user1@example.com", null)), r.localAccounts());
        assertFalse(r.unknown());
    }

    @Test
    void catchAllCapturesAccountsWithoutIdentityAliasLikePostfix() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").account("user2@example.com")
                .account("catchall@example.com")
                .alias("@example.com", "catchall@example.com")
                .alias("catchall@example.com", "catchall@example.com")
                .alias("user2@example.com", "user2@example.com").view();
        // no identity alias: the catch-all wins, as in Postfix virtual_alias_maps
        assertEquals(List.of(lt("catchall@example.com", null)), resolve(v, "user1@example.com").localAccounts());
        // identity alias escapes the catch-all, detail preserved
        assertEquals(List.of(lt("user2@example.com", "x")), resolve(v, "user2+x@example.com").localAccounts());
        assertEquals(List.of(lt("catchall@example.com", null)), resolve(v, "catchall@example.com").localAccounts());
    }

    @Test
    void catchAllOnlyForItsDomain() {
        DirectoryView v = TestDirectory.create().account("u@a.com").account("v@b.com")
                .alias("@a.com", "u@a.com").view();
        assertTrue(resolve(v, "nobody@b.com").unknown());
        assertEquals(List.of(lt("u@a.com", null)), resolve(v, "nobody@a.com").localAccounts());
    }

    @Test
    void regexpAliasMatchesAfterVirtualFullAddress() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").account("qa@example.com")
                .account("test1@example.com")
                .alias("test2@example.com", "user1@example.com")
                .alias("@example.com", "user1@example.com")
                .alias("qa@example.com", "qa@example.com") // identity alias, or the catch-all takes qa too
                .regex("/^test[0-9][0-9]*@example.com/", "qa@example.com").view();
        assertEquals(List.of(lt("qa@example.com", null)), resolve(v, "test42@example.com").localAccounts());
        // the virtual full-address alias comes first
        assertEquals(List.of(lt("user1@example.com", null)), resolve(v, "test2@example.com").localAccounts());
        // an account is captured by the regexp too: pattern tables see every address
        assertEquals(List.of(lt("qa@example.com", null)), resolve(v, "test1@example.com").localAccounts());
        // non-matching goes to the catch-all
        assertEquals(List.of(lt("user1@example.com", null)), resolve(v, "other@example.com").localAccounts());
    }

    @Test
    void regexpSeesTheFullAddressWithDetailAndSubstitutesGroups() {
        DirectoryView v = TestDirectory.create().account("box-sales@example.com").account("u@example.com")
                .alias("shop@example.com", "u@example.com")
                .regex("/^shop\\+([a-z]+)@example\\.com$/", "box-$1@example.com")
                .regex("/^(.*)@old\\.example$/", "${1}@example.com").view();
        assertEquals(List.of(lt("box-sales@example.com", null)), resolve(v, "shop+sales@example.com").localAccounts());
        assertEquals(List.of(lt("u@example.com", null)), resolve(v, "u@old.example").localAccounts());
    }

    @Test
    void regexpFlagsFollowPostfix() {
        DirectoryView v = TestDirectory.create().account("qa@example.com")
                .regex("/^TEST@example.com$/", "qa@example.com")
                .regex("/^Strict@example.com$/i", "qa@example.com").view();
        // default case-insensitive
        assertEquals(List.of(lt("qa@example.com", null)), resolve(v, "test@example.com").localAccounts());
        // 'i' toggles to case-sensitive; addresses are lower-cased so it cannot match
        assertTrue(resolve(v, "strict@example.com").unknown());
    }

    @Test
    void malformedRegexpInViewIsIgnored() {
        DirectoryView v = TestDirectory.create().account("u@example.com")
                .regex("/^(unclosed@example.com/", "u@example.com")
                .regex("/^x@example.com$/", "u@example.com").view();
        assertEquals(List.of(lt("u@example.com", null)), resolve(v, "x@example.com").localAccounts());
    }

    @Test
    void identityAliasTerminatesAtTheAccount() {
        DirectoryView v = TestDirectory.create().account("u@example.com")
                .alias("u@example.com", "u@example.com", "copy@gmail.com").view();
        Resolution r = resolve(v, "u@example.com");
        assertEquals(List.of(lt("u@example.com", null)), r.localAccounts());
        assertEquals(List.of("copy@gmail.com"), r.remoteAddresses());
        assertFalse(r.loopDetected());
    }

    @Test
    void cycleIsDetectedAndTerminates() {
        DirectoryView v = TestDirectory.create().account("u@example.com")
                .alias("a@example.com", "b@example.com", "u@example.com")
                .alias("b@example.com", "c@example.com").alias("c@example.com", "a@example.com").view();
        Resolution r = resolve(v, "a@example.com");
        assertTrue(r.loopDetected());
        assertFalse(r.deliverable());
        assertEquals(List.of(lt("u@example.com", null)), r.localAccounts());
    }

    @Test
    void regexpThatGrowsTheAddressHitsTheDepthLimit() {
        DirectoryView v = TestDirectory.create().account("u@example.com")
                .regex("/^(.*)@example\\.com$/", "x$1@example.com").view();
        Resolution r = RecipientResolver.resolve(v, "a@example.com", new ResolverOptions("+", null, 7));
        assertTrue(r.loopDetected());
        assertTrue(r.localAccounts().isEmpty());
    }

    @Test
    void depthLimitCountsRewrites() {
        TestDirectory d = TestDirectory.create().account("end@example.com");
        for (int i = 0; i < 25; i++) {
            d.alias("hop" + i + "@example.com", i == 24 ? "end@example.com" : "hop" + (i + 1) + "@example.com");
        }
        DirectoryView v = d.view();
        assertTrue(resolve(v, "hop0@example.com").loopDetected());
        Resolution ok = resolve(v, "hop5@example.com"); // 20 rewrites
        assertFalse(ok.loopDetected());
        assertEquals(List.of(lt("end@example.com", null)), ok.localAccounts());
        assertTrue(resolve(v, "hop4@example.com").loopDetected()); // 21 rewrites
    }

    @Test
    void wideDiamondExpansionVisitsEachAddressOnce() {
        // 30 levels, each level's two aliases both point to both aliases of the next level: 2^30 paths
        TestDirectory d = TestDirectory.create().account("end@example.com");
        for (int i = 0; i < 30; i++) {
            String next = i == 29 ? "end@example.com" : "l" + (i + 1) + "a@example.com";
            String next2 = i == 29 ? "end@example.com" : "l" + (i + 1) + "b@example.com";
            d.alias("l" + i + "a@example.com", next, next2);
            d.alias("l" + i + "b@example.com", next2, next);
        }
        Resolution r = RecipientResolver.resolve(d.view(), "l0a@example.com", new ResolverOptions("+", null, 40));
        assertEquals(List.of(lt("end@example.com", null)), r.localAccounts());
        assertFalse(r.loopDetected());
    }

    @Test
    void devnullDiscards() {
        DirectoryView v = TestDirectory.create().account("u@example.com")
                .alias("baduser@example.com", "devnull").view();
        Resolution r = resolve(v, "baduser+x@example.com");
        assertTrue(r.discard());
        assertTrue(r.localAccounts().isEmpty());
        assertTrue(r.undeliverable().isEmpty());
        assertTrue(r.deliverable());
    }

    @Test
    void rootAndPostmasterGoToThePostmasterAddress() {
        DirectoryView v = TestDirectory.create().account("admin@example.com").account("u@other.org")
                .alias("postmaster@other.org", "u@other.org").view();
        ResolverOptions o = OPTS.withPostmaster("Admin@example.com");
        for (String a : List.of("root@example.com", "postmaster@example.com", "root", "postmaster",
                "ROOT@other.org", "postmaster+x@example.com")) {
            assertEquals(List.of(lt("admin@example.com", null)),
                    RecipientResolver.resolve(v, a, o).localAccounts(), a);
        }
        // explicit alias wins
        assertEquals(List.of(lt("u@other.org", null)),
                RecipientResolver.resolve(v, "postmaster@other.org", o).localAccounts());
        // not for foreign domains, and not without a postmaster address
        assertTrue(RecipientResolver.resolve(v, "root@gmail.com", o).foreignDomain());
        assertTrue(resolve(v, "root@example.com").unknown());
        assertTrue(resolve(v, "root").unknown());
    }

    @Test
    void postmasterRuleComesBeforeCatchAllButAfterAccounts() {
        DirectoryView v = TestDirectory.create().account("admin@example.com").account("postmaster@b.org")
                .account("c@b.org").alias("@example.com", "c@b.org").alias("@b.org", "c@b.org")
                .alias("admin@example.com", "admin@example.com").alias("c@b.org", "c@b.org").view();
        ResolverOptions o = OPTS.withPostmaster("admin@example.com");
        assertEquals(List.of(lt("admin@example.com", null)),
                RecipientResolver.resolve(v, "root@example.com", o).localAccounts());
        // postmaster@b.org is an account, so Postfix rules apply: the catch-all captures it
        assertEquals(List.of(lt("c@b.org", null)),
                RecipientResolver.resolve(v, "postmaster@b.org", o).localAccounts());
    }

    @Test
    void catchAllAlsoCapturesTargetsOfOtherAliases() {
        DirectoryView v = TestDirectory.create().account("user1@example.com").account("qa@example.com")
                .alias("@example.com", "user1@example.com")
                .alias("sales@example.com", "qa@example.com").view();
        // qa@ has no identity alias, so after sales@ -> qa@ the catch-all rewrites it again (Postfix)
        assertEquals(List.of(lt("user1@example.com", null)), resolve(v, "sales@example.com").localAccounts());
    }

    @Test
    void addressWithoutDomainIsUnknown() {
        DirectoryView v = TestDirectory.create().account("u@example.com").view();
        Resolution r = resolve(v, "u");
        assertTrue(r.unknown());
        assertFalse(r.deliverable());
    }

    @Test
    void emptyViewKnowsNothing() {
        Resolution r = resolve(DirectoryView.empty(), "u@example.com");
        assertTrue(r.foreignDomain());
        assertFalse(r.deliverable());
    }

    @Test
    void rejectsBadArguments() {
        DirectoryView v = DirectoryView.empty();
        assertThrows(IllegalArgumentException.class, () -> resolve(v, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(v, "  "));
        assertTrue(e.getMessage().contains("no recipient"));
        assertThrows(IllegalArgumentException.class, () -> new ResolverOptions("+", null, 0));
        // null options fall back to defaults
        assertTrue(RecipientResolver.resolve(TestDirectory.create().account("u@e.com").view(), "u+t@e.com", null)
                .deliverable());
    }

    @Test
    void resultListsAreImmutable() {
        Resolution r = resolve(TestDirectory.create().account("u@e.com").view(), "u@e.com");
        assertThrows(UnsupportedOperationException.class, () -> r.localAccounts().add(lt("x@e.com", null)));
        List<LocalTarget> copy = new ArrayList<>(r.localAccounts());
        assertEquals(1, copy.size());
    }
}
