package io.mailfleet.core.sieve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a chain of Sieve scripts on one message for one recipient: in docker-mailserver order the
 * global {@code before.dovecot.sieve}, the user's active script, then {@code after.dovecot.sieve}.
 *
 * <p>Chain semantics follow Pigeonhole's sequential execution (sieve_before / sieve_after, after
 * draft-degener-sieve-multiscript): each script runs with its own variables and its own
 * imap4flags internal variable; {@code stop} ends only the script that executes it; the next script
 * runs only while the message is still kept, i.e. the previous script neither cancelled its implicit
 * keep (fileinto/redirect without :copy, discard, reject) nor only stopped after such an action.
 * An explicit {@code keep} counts as kept, so the next script still runs. Implicit keep is performed
 * once, at the end, with the flags of the last script that ran. Actions of all scripts are merged:
 * the same folder filed twice (or INBOX by keep and fileinto) is stored once with the union of flags;
 * the same redirect address once; only the first vacation reply.
 *
 * <p>Failure contract: the delivery code must never lose mail because of a script. A script that
 * fails at run time (resource limit, conflicting actions, bad value), or any unexpected error, makes
 * this method drop the actions of the failing script, keep the actions of the scripts that completed
 * before it, add implicit keep to INBOX, log the reason and report it in {@link SieveResult#error()};
 * it never throws.
 */
public final class SieveEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SieveEngine.class);

    private SieveEngine() {
    }

    /** Runs {@code chain} (may be empty: then plain keep). Never throws; see the class comment. */
    public static SieveResult run(List<CompiledScript> chain, SieveMessage msg, SieveEnvironment env) {
        RunState state = new RunState(msg, env);
        List<SieveAction> committed = new ArrayList<>();
        List<RunState.PendingTrack> committedTracks = new ArrayList<>();
        List<SieveMessage.Header> committedHeaders = null;
        Set<String> keepFlags = Set.of();
        boolean implicitKeep = true;
        for (CompiledScript script : chain) {
            Interpreter in = new Interpreter(state);
            boolean kept;
            try {
                kept = in.run(script);
            } catch (SieveRuntimeException | StackOverflowError | IllegalStateException e) {
                return fail(script, e, msg, committed, committedTracks, committedHeaders, env);
            } catch (RuntimeException e) {
                LOG.error("sieve: unexpected error in script {}", script.name(), e);
                return fail(script, e, msg, committed, committedTracks, committedHeaders, env);
            }
            committed = new ArrayList<>(state.actions);
            committedTracks = new ArrayList<>(state.tracks);
            committedHeaders = state.headers.edited() ? state.headers.all() : committedHeaders;
            keepFlags = in.flags();
            implicitKeep = in.implicitKeep();
            if (!kept) {
                break;
            }
        }
        List<SieveAction> actions = new ArrayList<>(committed);
        if (implicitKeep) {
            actions.add(new SieveAction.Keep(keepFlags));
        }
        for (RunState.PendingTrack t : committedTracks) {
            env.duplicateLog().track(t.handle(), t.id(), t.period(), t.last());
        }
        return new SieveResult(merge(actions), Optional.ofNullable(committedHeaders), Optional.empty());
    }

    private static SieveResult fail(CompiledScript script, Throwable e, SieveMessage msg,
                                    List<SieveAction> committed, List<RunState.PendingTrack> tracks,
                                    List<SieveMessage.Header> headers, SieveEnvironment env) {
        String reason = "script " + script.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        LOG.warn("sieve: {} for recipient {}; falling back to implicit keep", reason, msg.envelopeTo());
        List<SieveAction> actions = new ArrayList<>(committed);
        actions.add(new SieveAction.Keep(Set.of()));
        for (RunState.PendingTrack t : tracks) {
            env.duplicateLog().track(t.handle(), t.id(), t.period(), t.last());
        }
        return new SieveResult(merge(actions), Optional.ofNullable(headers), Optional.of(reason));
    }

    /** Collapses duplicate deliveries: one store per folder (keep = INBOX), one redirect per address. */
    static List<SieveAction> merge(List<SieveAction> actions) {
        Map<String, SieveAction> stores = new LinkedHashMap<>();
        List<SieveAction> out = new ArrayList<>();
        Set<String> redirects = new LinkedHashSet<>();
        boolean vacation = false;
        boolean discard = false;
        for (SieveAction a : actions) {
            if (a instanceof SieveAction.Keep || a instanceof SieveAction.FileInto) {
                mergeStore(stores, out, storeKey(a), a);
            } else if (a instanceof SieveAction.Redirect r) {
                if (redirects.add(r.address().toLowerCase(Locale.ROOT))) {
                    out.add(r);
                }
            } else if (a instanceof SieveAction.Vacation) {
                if (!vacation) {
                    out.add(a);
                }
                vacation = true;
            } else if (a instanceof SieveAction.Discard) {
                if (!discard) {
                    out.add(a);
                }
                discard = true;
            } else {
                out.add(a);
            }
        }
        List<SieveAction> result = new ArrayList<>();
        for (SieveAction a : out) {
            if (a instanceof SieveAction.Keep || a instanceof SieveAction.FileInto) {
                String key = storeKey(a);
                SieveAction merged = stores.remove(key);
                if (merged != null) {
                    result.add(merged);
                }
            } else {
                result.add(a);
            }
        }
        return result;
    }

    private static String storeKey(SieveAction a) {
        if (a instanceof SieveAction.FileInto fi) {
            return fi.specialUse() == null && !fi.create() && fi.folder().equalsIgnoreCase("INBOX") ? "inbox"
                    : "folder:" + fi.folder() + "\0" + fi.specialUse();
        }
        return "inbox";
    }

    private static void mergeStore(Map<String, SieveAction> stores, List<SieveAction> out, String key,
                                   SieveAction a) {
        SieveAction prev = stores.get(key);
        if (prev == null) {
            stores.put(key, a);
            out.add(a);
            return;
        }
        Set<String> flags = new LinkedHashSet<>(flags(prev));
        for (String f : flags(a)) {
            if (flags.stream().noneMatch(f::equalsIgnoreCase)) {
                flags.add(f);
            }
        }
        Set<String> fl = java.util.Collections.unmodifiableSet(flags);
        SieveAction merged;
        if (prev instanceof SieveAction.FileInto p) {
            boolean create = p.create() || (a instanceof SieveAction.FileInto x && x.create());
            merged = new SieveAction.FileInto(p.folder(), fl, create, p.specialUse(), p.copy());
        } else {
            merged = new SieveAction.Keep(fl);
        }
        stores.put(key, merged);
    }

    private static Set<String> flags(SieveAction a) {
        return a instanceof SieveAction.Keep k ? k.flags() : ((SieveAction.FileInto) a).flags();
    }
}
