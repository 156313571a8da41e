package io.mailfleet.core.directory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a recipient address against a {@link DirectoryView} the way Postfix does for a
 * docker-mailserver setup ({@code virtual_alias_maps = texthash:postfix-virtual.cf, pcre:postfix-regexp.cf},
 * {@code virtual_mailbox_maps} = the accounts).
 *
 * <p>Each address met during expansion is looked up in this order, the first hit wins
 * (Postfix {@code mail_addr_find}):
 * <ol>
 *   <li>the full address {@code user+detail@domain} in the virtual aliases;</li>
 *   <li>the full address in the regexp aliases, in file order (Postfix only gives pattern tables the
 *       full address, never the stripped forms, which is why they come before the next two);</li>
 *   <li>{@code user@domain} (detail stripped) in the virtual aliases; the detail is then propagated
 *       to every target ({@code alias1+tag} → {@code user1+tag}), as {@code propagate_unmatched_extensions}
 *       does by default;</li>
 *   <li>{@code root} and {@code postmaster} of a local domain (or without a domain) that is not an
 *       account go to the postmaster address, before the catch-all, because RFC 5321 requires that
 *       postmaster reaches someone responsible (docker-mailserver's {@code root:} system alias);</li>
 *   <li>the catch-all {@code @domain}, without detail propagation.</li>
 * </ol>
 *
 * <p><b>The catch-all captures real accounts.</b> Accounts live in {@code virtual_mailbox_maps}, not in
 * {@code virtual_alias_maps}, and Postfix rewrites with the alias maps before it ever looks at the
 * mailboxes; so {@code @example.com catchall@example.com} also takes the mail of
 * {@code user@example.com} unless that account has an identity alias {@code user@example.com user@example.com}.
 * This is what Postfix does and what the docker-mailserver FAQ warns about; we keep it so that
 * migrated configurations deliver exactly where they did before.
 *
 * <p>Targets are expanded recursively. An address that expands to itself (identity alias) stops
 * there and is delivered; duplicates are dropped; a cycle or nesting deeper than
 * {@link ResolverOptions#maxDepth()} sets {@link Resolution#loopDetected()} (Postfix defers such mail).
 * The final addresses are classified: bare {@code devnull} discards, a local-domain address goes to the
 * account matching it (full address first, then without detail, keeping the detail), other local
 * addresses are undeliverable, and addresses in other domains are forwarded.
 *
 * <p>Everything is compared lower-cased, as the directory keys are.
 */
public final class RecipientResolver {

    static final String DEVNULL = "devnull";

    private RecipientResolver() {
    }

    /**
     * Resolves {@code address} (with or without subaddress detail; {@code root}/{@code postmaster}
     * may lack a domain).
     *
     * @throws IllegalArgumentException if the address is null or blank
     */
    public static Resolution resolve(DirectoryView view, String address, ResolverOptions options) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("no recipient address given");
        }
        ResolverOptions opts = options == null ? ResolverOptions.defaults() : options;
        String addr = normalize(address);
        Expansion ex = new Expansion(view, opts);
        String domain = domainOf(addr);
        boolean foreign = domain != null && !view.isLocalDomain(domain);
        List<String> top = ex.lookup(addr);
        ex.expand(addr, top, 0, new HashSet<>(Set.of(addr)));
        boolean unknown = !foreign && top == null && ex.local.isEmpty() && !ex.discard;
        return new Resolution(addr, List.copyOf(ex.local), List.copyOf(ex.remote), List.copyOf(ex.undeliverable),
                unknown, foreign, ex.loop, ex.discard);
    }

    /** {@link Resolution#deliverable()} of {@link #resolve}: should RCPT TO accept this address. */
    public static boolean isDeliverable(DirectoryView view, String address, ResolverOptions options) {
        return resolve(view, address, options).deliverable();
    }

    /** One resolution's mutable state; never shared between threads. */
    private static final class Expansion {
        private final DirectoryView view;
        private final ResolverOptions opts;
        private final Set<LocalTarget> local = new LinkedHashSet<>();
        private final Set<String> remote = new LinkedHashSet<>();
        private final Set<String> undeliverable = new LinkedHashSet<>();
        private final Set<String> done = new HashSet<>();
        private boolean loop;
        private boolean discard;

        Expansion(DirectoryView view, ResolverOptions opts) {
            this.view = view;
            this.opts = opts;
        }

        /** Expands {@code addr} whose lookup result is {@code targets} (null = no alias matched). */
        void expand(String addr, List<String> targets, int depth, Set<String> ancestors) {
            if (targets == null) {
                deliver(addr);
                done.add(addr);
                return;
            }
            if (depth >= opts.maxDepth()) {
                loop = true;
                return;
            }
            for (String t : targets) {
                if (t.equals(addr)) {
                    deliver(addr);
                } else if (ancestors.contains(t)) {
                    loop = true;
                } else if (!done.contains(t)) {
                    ancestors.add(t);
                    expand(t, lookup(t), depth + 1, ancestors);
                    ancestors.remove(t);
                }
            }
            done.add(addr);
        }

        /** The alias targets of one address, or null when nothing matches. */
        List<String> lookup(String addr) {
            String domain = domainOf(addr);
            List<String> hit = nonEmpty(domain == null ? List.of() : view.aliasTargets(addr));
            if (hit != null) {
                return hit;
            }
            for (RegexAlias ra : view.regexAliases()) {
                Optional<RegexAliasPattern> p = RegexAliasPattern.cached(ra.pattern());
                if (p.isPresent()) {
                    Optional<List<String>> r = p.get().apply(addr, ra.targets());
                    if (r.isPresent() && !r.get().isEmpty()) {
                        return normalizeAll(r.get());
                    }
                }
            }
            String ext = extension(addr);
            String bare = ext == null ? addr : stripExtension(addr, ext);
            if (ext != null && domain != null) {
                hit = nonEmpty(view.aliasTargets(bare));
                if (hit != null) {
                    List<String> out = new ArrayList<>(hit.size());
                    for (String t : hit) {
                        out.add(addExtension(t, ext));
                    }
                    return out;
                }
            }
            String postmaster = postmasterFor(bare, domain);
            if (postmaster != null) {
                return List.of(postmaster);
            }
            if (domain != null) {
                return nonEmpty(view.aliasTargets("@" + domain));
            }
            return null;
        }

        private String postmasterFor(String bare, String domain) {
            if (opts.postmasterAddress() == null) {
                return null;
            }
            String localPart = domain == null ? bare : bare.substring(0, bare.lastIndexOf('@'));
            if (!localPart.equals("root") && !localPart.equals("postmaster")) {
                return null;
            }
            if (domain != null && (!view.isLocalDomain(domain) || view.account(bare).isPresent())) {
                return null;
            }
            return normalize(opts.postmasterAddress());
        }

        /** Classifies a final address. */
        private void deliver(String addr) {
            String domain = domainOf(addr);
            String ext = extension(addr);
            String bare = ext == null ? addr : stripExtension(addr, ext);
            if (domain == null) {
                if (bare.equals(DEVNULL)) {
                    discard = true;
                } else {
                    undeliverable.add(addr);
                }
                return;
            }
            if (!view.isLocalDomain(domain)) {
                remote.add(addr);
                return;
            }
            if (view.account(addr).isPresent()) {
                local.add(new LocalTarget(addr, null));
            } else if (ext != null && view.account(bare).isPresent()) {
                local.add(new LocalTarget(bare, ext.substring(1)));
            } else {
                undeliverable.add(addr);
            }
        }

        /** The extension including its delimiter ({@code +tag}), or null. */
        private String extension(String addr) {
            String delims = opts.recipientDelimiter();
            if (delims.isEmpty()) {
                return null;
            }
            int at = addr.lastIndexOf('@');
            int end = at < 0 ? addr.length() : at;
            // A delimiter as the first character is part of the name, as in MailAddress.withoutDetail.
            for (int i = 1; i < end; i++) {
                if (delims.indexOf(addr.charAt(i)) >= 0) {
                    return addr.substring(i, end);
                }
            }
            return null;
        }
    }

    private static String stripExtension(String addr, String ext) {
        int at = addr.lastIndexOf('@');
        int end = at < 0 ? addr.length() : at;
        return addr.substring(0, end - ext.length()) + addr.substring(end);
    }

    private static String addExtension(String target, String ext) {
        int at = target.lastIndexOf('@');
        return at < 0 ? target + ext : target.substring(0, at) + ext + target.substring(at);
    }

    private static List<String> nonEmpty(List<String> targets) {
        return targets == null || targets.isEmpty() ? null : normalizeAll(targets);
    }

    private static List<String> normalizeAll(List<String> targets) {
        List<String> out = new ArrayList<>(targets.size());
        for (String t : targets) {
            String n = normalize(t);
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static String normalize(String address) {
        String s = address.strip();
        if (s.length() >= 2 && s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** The domain of an address, or null when it has none. */
    private static String domainOf(String addr) {
        int at = addr.lastIndexOf('@');
        return at < 0 || at == addr.length() - 1 ? null : addr.substring(at + 1);
    }
}
